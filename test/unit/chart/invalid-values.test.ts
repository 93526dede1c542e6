// Invalid values stop the install with a message that names the value: values.schema.json for types, unknown keys,
// required keys, enums and patterns (helm lint and helm template both fail); the chart's validateValues helper for
// rules across values, every problem in one message (helm template and helm install fail; helm 4's lint only
// reports a template `fail` as INFO, so for those the test asserts lint shows the message).
import { describe, expect, it } from 'vitest';
import { helmLint, helmTemplate, type ChartInput } from './helm.js';

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";
const base = (more: Omit<ChartInput, 'valuesFiles'>): ChartInput => ({
  valuesFiles: ['default-values.yaml'],
  ...more,
});

const SCHEMA_CASES: readonly { when: string; input: ChartInput; message: string }[] = [
  {
    when: 'a number is a word (wrong type)',
    input: base({ set: ['replicaCount=two'] }),
    message: "at '/replicaCount': got string, want integer",
  },
  {
    when: 'a boolean is a string (wrong type)',
    input: base({ setJson: ['networkPolicy.enabled="yes"'] }),
    message: "at '/networkPolicy/enabled': got string, want boolean",
  },
  {
    when: 'a top-level key is unknown',
    input: base({ set: ['replicas=2'] }),
    message: "at '': additional properties 'replicas' not allowed",
  },
  {
    when: 'a nested key is misspelt',
    input: base({ set: ['source.prometheus.bearerTokenFile=/token'] }),
    message: "at '/source/prometheus': additional properties 'bearerTokenFile' not allowed",
  },
  {
    when: 'the source type is not one of the enum',
    input: base({ set: ['source.type=graphite'] }),
    message: "at '/source/type': value must be one of 'prometheus', 'scrape'",
  },
  {
    when: 'the log level is not one of the enum',
    input: base({ set: ['provider.logLevel=verbose'] }),
    message:
      "at '/provider/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'",
  },
  {
    when: 'quality scores come from neither memory nor Prometheus',
    input: base({ set: ['quality.scoresFrom=disk'] }),
    message: "at '/quality/scoresFrom': value must be one of 'memory', 'prometheus'",
  },
  {
    when: 'the pull policy is not one of the enum',
    input: base({ set: ['image.pullPolicy=Sometimes'] }),
    message: "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'",
  },
  {
    when: 'a required key is removed',
    input: base({ set: ['source.prometheus.url=null'] }),
    message: "at '/source/prometheus': missing property 'url'",
  },
  {
    when: 'a static target has no url (required in a list item)',
    input: base({
      set: ['source.type=scrape'],
      setJson: ['source.scrape.staticTargets=[{"labels":{"pod":"a"}}]'],
    }),
    message: "at '/source/scrape/staticTargets/0': missing property 'url'",
  },
  {
    when: 'the Prometheus URL is not http(s)',
    input: base({ set: ['source.prometheus.url=ftp://prometheus:9090'] }),
    message: "at '/source/prometheus/url': 'ftp://prometheus:9090' does not match pattern",
  },
  {
    when: 'a header name holds a character HTTP does not allow',
    input: base({ setJson: ['source.prometheus.headers={"X Scope":"team"}'] }),
    message: "invalid propertyName 'X Scope'",
  },
  {
    when: 'a namespace is not a DNS label',
    input: base({ set: ['analysisTemplates.namespaces={LLM_Team}'] }),
    message: "at '/analysisTemplates/namespaces/0': 'LLM_Team' does not match pattern",
  },
];

describe('values the schema refuses', () => {
  it.each(SCHEMA_CASES)('when $when then helm template fails naming it', ({ input, message }) => {
    const result = helmTemplate(input);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(SCHEMA_ERROR);
    expect(result.stderr).toContain(message);
  });

  it.each(SCHEMA_CASES)('when $when then helm lint --strict fails naming it', ({ input, message }) => {
    const result = helmLint(input);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(message);
  });
});

const RULE_CASES: readonly { when: string; input: ChartInput; messages: readonly string[] }[] = [
  {
    when: 'the source is Prometheus and no URL is given',
    input: {},
    messages: ['source.prometheus.url is required when source.type is prometheus'],
  },
  {
    when: 'the scrape source has no target',
    input: base({ set: ['source.type=scrape'] }),
    messages: [
      'source.scrape needs targets: set source.scrape.kubernetes.enabled (discovery) or source.scrape.staticTargets',
    ],
  },
  {
    when: 'discovery is on with neither namespace nor selector',
    input: base({ set: ['source.type=scrape', 'source.scrape.kubernetes.enabled=true'] }),
    messages: [
      'source.scrape.kubernetes.namespace is required when source.scrape.kubernetes.enabled is true',
      'source.scrape.kubernetes: set podSelector (e.g. app.kubernetes.io/name=vllm) or service',
    ],
  },
  {
    when: 'discovery names both a selector and a Service',
    input: {
      valuesFiles: ['scrape-kubernetes-values.yaml'],
      set: ['source.scrape.kubernetes.service=vllm'],
    },
    messages: ['source.scrape.kubernetes: set podSelector or service, not both'],
  },
  {
    when: 'basic auth has a user but no password Secret',
    input: base({ set: ['source.prometheus.basicAuth.username=reader'] }),
    messages: ['source.prometheus.basicAuth.existingSecret is required with basicAuth.username'],
  },
  {
    when: 'both a bearer token and basic auth are set',
    input: base({
      set: [
        'source.prometheus.bearerToken.existingSecret=token',
        'source.prometheus.basicAuth.username=reader',
        'source.prometheus.basicAuth.existingSecret=password',
      ],
    }),
    messages: ['source.prometheus: set bearerToken or basicAuth, not both'],
  },
  {
    when: 'the CA comes from both a ConfigMap and a Secret over plain http',
    input: base({ set: ['source.prometheus.tls.ca.configMap=ca', 'source.prometheus.tls.ca.secret=ca'] }),
    messages: [
      'source.prometheus.tls.ca: set configMap or secret, not both',
      'source.prometheus.tls is set but source.prometheus.url is http://, not https://',
    ],
  },
  {
    when: 'quality scores are read from Prometheus with the scrape source',
    input: { valuesFiles: ['scrape-cluster-wide-values.yaml'], set: ['quality.scoresFrom=prometheus'] },
    messages: ['quality.scoresFrom: prometheus needs source.type: prometheus'],
  },
  {
    when: 'several workers are asked for with the scrape source',
    input: { valuesFiles: ['scrape-cluster-wide-values.yaml'], set: ['provider.workers=2'] },
    messages: [
      'provider.workers (2) must be 1 with source.type: scrape (the scrape source keeps its history in one process)',
    ],
  },
  {
    when: 'rollout namespaces are listed without auth',
    input: base({ set: ['auth.rolloutNamespaces={llm}'] }),
    messages: ['auth.rolloutNamespaces is set but auth.enabled is false'],
  },
  {
    when: 'rollout namespaces are listed with an existing token Secret',
    input: base({ set: ['auth.enabled=true', 'auth.existingSecret=mine', 'auth.rolloutNamespaces={llm}'] }),
    messages: ['auth.rolloutNamespaces needs the chart-generated token'],
  },
  {
    when: "the provider's deadline is not below the templates' timeout",
    input: base({ set: ['provider.deadlineSeconds=10'] }),
    messages: ["provider.deadlineSeconds (10) must be below the templates' timeoutSeconds (10)"],
  },
  {
    when: 'a cluster-wide grant also lists namespaces',
    input: { valuesFiles: ['scrape-cluster-wide-values.yaml'], set: ['rbac.extraNamespaces={llm}'] },
    messages: ['rbac.extraNamespaces has no effect with rbac.clusterWide'],
  },
  {
    when: 'the PodDisruptionBudget has neither limit',
    input: base({ set: ['podDisruptionBudget.maxUnavailable='] }),
    messages: ['podDisruptionBudget: set maxUnavailable or minAvailable'],
  },
  {
    when: 'the vLLM PodMonitor selects every pod',
    input: base({
      set: ['vllmPodMonitor.enabled=true'],
      setJson: ['vllmPodMonitor.selector.matchExpressions=[]'],
    }),
    messages: ['vllmPodMonitor.selector is empty: it would scrape every pod'],
  },
];

describe('values that break a rule across values (validateValues)', () => {
  it.each(RULE_CASES)('when $when then helm template fails with the message', ({ input, messages }) => {
    const result = helmTemplate(input);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('vllm-canary: invalid values:');
    for (const message of messages) expect(result.stderr).toContain(`  - ${message}`);
  });

  it.each(RULE_CASES)('when $when then helm lint reports the message', ({ input, messages }) => {
    const result = helmLint(input);
    for (const message of messages) expect(result.stdout + result.stderr).toContain(message);
  });

  it('when several rules are broken then one failure lists every problem', () => {
    const result = helmTemplate({
      set: [
        'source.prometheus.basicAuth.username=reader',
        'auth.rolloutNamespaces={llm}',
        'provider.deadlineSeconds=12',
      ],
    });
    const listed = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(listed).toEqual([
      '  - source.prometheus.url is required when source.type is prometheus (e.g. http://prometheus-operated.monitoring.svc:9090)',
      '  - source.prometheus.basicAuth.existingSecret is required with basicAuth.username (the Secret holding the password)',
      '  - auth.rolloutNamespaces is set but auth.enabled is false',
      "  - provider.deadlineSeconds (12) must be below the templates' timeoutSeconds (10), or Argo gives up before the provider answers",
    ]);
  });
});
