// `vllm-canary generate`: a Rollout for a vLLM model with its Services, routing objects and PodMonitor, from a spec
// file and/or flags (flags win). A thin layer over rollouts/: flags become a spec, the spec becomes typed props.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { templateNames } from '../../analysis-templates/index.js';
import {
  fileNameOf,
  generateManifests,
  manifestsToYaml,
  readSpecFile,
  RolloutSpecError,
  specSchemaProblems,
  specToOptions,
  type ReadSpec,
  type SpecFile,
  type SpecProblem,
} from '../../rollouts/index.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  # Gateway API, inline analysis with the composite template, a header route for testers
  $ vllm-canary generate --router gateway-api --name llama --namespace llm \\
      --model meta-llama/Llama-3.1-8B-Instruct --served-model-name llama-3-8b \\
      --image vllm/vllm-openai:v0.11.0 --gateway gateway-system/inference --header-route X-Canary=always

  # NGINX, background analysis with two templates, a manual gate before full promotion
  $ vllm-canary generate --router nginx --name llama --namespace llm --model meta-llama/Llama-3.1-8B-Instruct \\
      --image vllm/vllm-openai:v0.11.0 --host llm.example.com --analysis background \\
      --template vllm-latency --template vllm-error-ratio --manual-gate --out manifests/

  # Istio from a spec file, overriding the weights
  $ vllm-canary generate --spec rollouts/examples/istio/spec.yaml --weights 5,25,50

  # vLLM arguments that start with a dash: use the = form
  $ vllm-canary generate --spec spec.yaml --vllm-arg=--max-model-len --vllm-arg=8192

Flags override the spec file. Weights rise; Argo promotes to 100 % after the last step.
Apply the output with kubectl apply -f, then watch: kubectl argo rollouts get rollout <name> -n <namespace> --watch`;

interface GenerateFlags {
  readonly spec?: string;
  readonly router?: SpecFile['router'];
  readonly name?: string;
  readonly namespace?: string;
  readonly model?: string;
  readonly servedModelName?: string;
  readonly image?: string;
  readonly vllmArg: string[];
  readonly replicas?: number;
  readonly gpus?: number;
  readonly cpu?: string;
  readonly memory?: string;
  readonly weights?: number[];
  readonly pause?: string;
  readonly manualGate?: boolean;
  readonly analysis?: 'inline' | 'background' | 'none';
  readonly template: string[];
  readonly namespacedTemplates?: boolean;
  readonly startingStep?: number;
  readonly analysisArg: [string, string][];
  readonly headerRoute?: [string, string];
  readonly headerMatch?: 'exact' | 'prefix' | 'regex';
  readonly gateway?: { name: string; namespace?: string };
  readonly hostname: string[];
  readonly installPlugin: boolean;
  readonly pluginVersion?: string;
  readonly host?: string;
  readonly ingressClass?: string;
  readonly istioMode?: 'subset' | 'host';
  readonly istioGateway: string[];
  readonly mirror?: number;
  readonly podMonitor: boolean;
  readonly podMonitorLabel: [string, string][];
  readonly out?: string;
}

/** Spec path prefix -> the flag that sets it, so a problem with a flag's value names the flag. */
const FLAG_OF: readonly [string, string][] = [
  ['servedModelName', '--served-model-name'],
  ['name', '--name'],
  ['namespace', '--namespace'],
  ['model', '--model'],
  ['image', '--image'],
  ['vllmArgs', '--vllm-arg'],
  ['replicas', '--replicas'],
  ['resources.gpus', '--gpus'],
  ['resources.cpu', '--cpu'],
  ['resources.memory', '--memory'],
  ['router', '--router'],
  ['headerRoute.match', '--header-match'],
  ['headerRoute', '--header-route'],
  ['gatewayApi.pluginVersion', '--plugin-version'],
  ['gatewayApi.hostnames', '--hostname'],
  ['gatewayApi', '--gateway'],
  ['nginx.ingressClassName', '--ingress-class'],
  ['nginx', '--host'],
  ['istio.mode', '--istio-mode'],
  ['istio.gateways', '--istio-gateway'],
  ['istio.mirror', '--mirror'],
  ['steps.weights', '--weights'],
  ['steps.pause', '--pause'],
  ['analysis.mode', '--analysis'],
  ['analysis.templates', '--template'],
  ['analysis.startingStep', '--starting-step'],
  ['analysis.args', '--analysis-arg'],
];

export const registerGenerate: RegisterCommand = (program: Command) => {
  program
    .command('generate')
    .description(
      'Generate a Rollout for a vLLM model with its Services, traffic routing (Gateway API, NGINX or Istio), ' +
        'analysis steps and PodMonitor',
    )
    .option('-s, --spec <file>', 'YAML spec file (see rollouts/examples/*/spec.yaml); flags override it')
    .addOption(
      new Option('-r, --router <router>', 'traffic router').choices(['gateway-api', 'nginx', 'istio']),
    )
    .option('--name <name>', 'Rollout name (DNS label, at most 56 characters)')
    .option('-n, --namespace <namespace>', 'namespace of the Rollout')
    .option('--model <model>', 'what vLLM loads (--model): a Hugging Face id or a path')
    .option('--served-model-name <name>', 'name clients and metrics use (default: --model)')
    .option('--image <image>', 'vLLM OpenAI server image, e.g. vllm/vllm-openai:v0.11.0')
    .option(
      '--vllm-arg <arg>',
      'extra vLLM argument, repeatable (write --vllm-arg=--flag for dashes)',
      collect,
      [],
    )
    .option('--replicas <count>', 'pods at full promotion (default 2)', integer('--replicas', 1, 1000))
    .option('--gpus <count>', 'nvidia.com/gpu per pod (default 1)', integer('--gpus', 0, 16))
    .option('--cpu <quantity>', 'CPU request per pod, e.g. 8')
    .option('--memory <quantity>', 'memory request and limit per pod, e.g. 48Gi')
    .option('--weights <list>', 'rising canary weights, comma-separated (default 10,30,60)', weights)
    .option(
      '--pause <duration>',
      'pause after each weight, e.g. 5m (default 5m with background analysis)',
      duration('--pause'),
    )
    .option('--manual-gate', 'pause indefinitely after the last weight until kubectl argo rollouts promote')
    .addOption(
      new Option('--analysis <mode>', 'inline analysis steps, one background analysis, or none').choices([
        'inline',
        'background',
        'none',
      ]),
    )
    .option(
      '--template <name>',
      'template of the library to run, repeatable (default vllm-canary-health)',
      template,
      [],
    )
    .option(
      '--namespaced-templates',
      'reference AnalysisTemplates in the namespace instead of ClusterAnalysisTemplates',
    )
    .option(
      '--starting-step <index>',
      'step at which background analysis starts',
      integer('--starting-step', 0, 1000),
    )
    .option(
      '--analysis-arg <name=value>',
      'value for a template arg (limits, window), repeatable',
      pair('--analysis-arg'),
      [],
    )
    .option(
      '--header-route <Header=value>',
      'send requests with this header to the canary, e.g. X-Canary=always',
      headerRoute,
    )
    .addOption(
      new Option('--header-match <match>', 'how the header value matches').choices([
        'exact',
        'prefix',
        'regex',
      ]),
    )
    .option('--gateway <[namespace/]name>', 'Gateway the HTTPRoute attaches to (gateway-api)', gateway)
    .option('--hostname <host>', 'HTTPRoute hostname, repeatable (gateway-api)', collect, [])
    .option('--no-install-plugin', 'leave out the gatewayAPI plugin ConfigMap and RBAC (already installed)')
    .option('--plugin-version <tag>', 'gatewayAPI plugin release to register (gateway-api)')
    .option('--host <host>', 'Ingress host (nginx)')
    .option('--ingress-class <class>', 'Ingress class (nginx, default nginx)')
    .addOption(
      new Option('--istio-mode <mode>', 'subset (DestinationRule) or host level (istio)').choices([
        'subset',
        'host',
      ]),
    )
    .option(
      '--istio-gateway <namespace/name>',
      'Istio Gateway the VirtualService binds, repeatable (istio)',
      collect,
      [],
    )
    .option(
      '--mirror <percent>',
      'mirror this share of traffic to the canary first (istio)',
      integer('--mirror', 1, 100),
    )
    .option('--no-pod-monitor', 'leave out the PodMonitor')
    .option(
      '--pod-monitor-label <key=value>',
      'label the PodMonitor for your Prometheus, repeatable',
      pair('--pod-monitor-label'),
      [],
    )
    .option('-o, --out <dir>', 'write one file per object into this folder instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action((flags: GenerateFlags) => {
      const read = flags.spec === undefined ? undefined : readSpecFile(flags.spec);
      const fromFlags = specFromFlags(flags);
      const merged = deepMerge(read?.data ?? {}, fromFlags);
      const locate = (problems: readonly SpecProblem[]) => problems.map((p) => describe(p, fromFlags, read));
      const schemaProblems = specSchemaProblems(merged);
      if (schemaProblems.length > 0) throw new Error(report(locate(schemaProblems)));
      let yaml: string;
      let objects;
      try {
        objects = generateManifests(specToOptions(merged as unknown as SpecFile));
        yaml = manifestsToYaml(objects);
      } catch (error) {
        if (error instanceof RolloutSpecError) throw new Error(report(locate(error.problems)));
        throw error;
      }
      if (flags.out === undefined) {
        process.stdout.write(yaml);
        return;
      }
      mkdirSync(flags.out, { recursive: true });
      for (const object of objects)
        writeFileSync(join(flags.out, fileNameOf(object)), manifestsToYaml([object]));
      process.stderr.write(`wrote ${objects.length} files to ${flags.out}\n`);
    });
};

function report(lines: readonly string[]): string {
  return `cannot generate (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`;
}

/** `--flag: message` when a flag set the field, `file:line:col: path: message` when the spec did. */
function describe(
  problem: SpecProblem,
  fromFlags: Record<string, unknown>,
  read: ReadSpec | undefined,
): string {
  const flag = FLAG_OF.find(
    ([prefix]) =>
      problem.path === prefix ||
      problem.path.startsWith(`${prefix}.`) ||
      problem.path.startsWith(`${prefix}[`),
  );
  const fromFlag = flag !== undefined && hasPath(fromFlags, flag[0]);
  if (fromFlag) return `${flag[1]}: ${problem.path}: ${problem.message}`;
  if (read !== undefined && hasPath(read.data, problem.path.split(/[.[]/)[0] ?? ''))
    return `${read.locate(problem.path)}: ${problem.path}: ${problem.message}`;
  const hint =
    flag !== undefined
      ? ` (set ${flag[1]}${read === undefined ? ' or use --spec' : ` or ${problem.path} in ${read.file}`})`
      : '';
  return `${problem.path}: ${problem.message}${hint}`;
}

function hasPath(value: Readonly<Record<string, unknown>>, path: string): boolean {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return true;
}

/** The spec the flags describe: only what was given, so the file's values stay where no flag overrides them. */
export function specFromFlags(f: GenerateFlags): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const set = (path: string, value: unknown) => {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
    const parts = path.split('.');
    let node = spec;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  };
  set('name', f.name);
  set('namespace', f.namespace);
  set('model', f.model);
  set('servedModelName', f.servedModelName);
  set('image', f.image);
  set('vllmArgs', f.vllmArg);
  set('replicas', f.replicas);
  set('resources.gpus', f.gpus);
  set('resources.cpu', f.cpu);
  set('resources.memory', f.memory);
  set('router', f.router);
  if (f.headerRoute !== undefined) set('headerRoute', { header: f.headerRoute[0], value: f.headerRoute[1] });
  set('headerRoute.match', f.headerMatch);
  set('gatewayApi.gateway', f.gateway);
  set('gatewayApi.hostnames', f.hostname);
  if (f.installPlugin === false) set('gatewayApi.installPlugin', false);
  set('gatewayApi.pluginVersion', f.pluginVersion);
  set('nginx.host', f.host);
  set('nginx.ingressClassName', f.ingressClass);
  set('istio.mode', f.istioMode);
  set('istio.gateways', f.istioGateway);
  if (f.mirror !== undefined) set('istio.mirror', { percentage: f.mirror });
  set('steps.weights', f.weights);
  set('steps.pause', f.pause);
  if (f.manualGate === true) set('steps.manualGate', true);
  set('analysis.mode', f.analysis);
  set('analysis.templates', f.template);
  if (f.namespacedTemplates === true) set('analysis.clusterScope', false);
  set('analysis.startingStep', f.startingStep);
  if (f.analysisArg.length > 0) set('analysis.args', Object.fromEntries(f.analysisArg));
  if (f.podMonitor === false) set('podMonitor.enabled', false);
  if (f.podMonitorLabel.length > 0) set('podMonitor.labels', Object.fromEntries(f.podMonitorLabel));
  return spec;
}

function deepMerge(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isPlainObject(value) && isPlainObject(current) && key !== 'headerRoute'
        ? deepMerge(current, value)
        : isPlainObject(value) && isPlainObject(current)
          ? { ...current, ...value }
          : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}.`);
    return Number(value);
  };
}

function weights(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 100))
    throw new InvalidArgumentError(
      '--weights must be whole numbers from 1 to 100, comma-separated, e.g. 10,30,60.',
    );
  const list = parts.map(Number);
  const falling = list.findIndex((w, i) => i > 0 && w <= list[i - 1]!);
  if (falling > 0)
    throw new InvalidArgumentError(`--weights must rise: ${list[falling]} follows ${list[falling - 1]}.`);
  return list;
}

function duration(flag: string): (value: string) => string {
  return (value) => {
    if (!/^([0-9]+(ms|s|m|h))+$/.test(value))
      throw new InvalidArgumentError(`${flag} must be a duration such as 30s, 5m or 1h.`);
    return value;
  };
}

function template(value: string, previous: string[]): string[] {
  const names = templateNames();
  if (!names.includes(value))
    throw new InvalidArgumentError(`--template must be one of ${names.join(', ')}.`);
  return [...previous, value];
}

function pair(flag: string): (value: string, previous: [string, string][]) => [string, string][] {
  return (value, previous) => {
    const at = value.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`${flag} must be name=value.`);
    return [...previous, [value.slice(0, at), value.slice(at + 1)]];
  };
}

function headerRoute(value: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1)
    throw new InvalidArgumentError('--header-route must be Header=value, e.g. X-Canary=always.');
  return [value.slice(0, at), value.slice(at + 1)];
}

function gateway(value: string): { name: string; namespace?: string } {
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => p === ''))
    throw new InvalidArgumentError(
      '--gateway must be name or namespace/name, e.g. gateway-system/inference.',
    );
  return parts.length === 2 ? { namespace: parts[0]!, name: parts[1]! } : { name: parts[0]! };
}
