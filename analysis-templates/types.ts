// The shapes of the template library: typed definitions (what a template measures, its args and timing) and the
// Argo Rollouts manifests they render to. Field names follow argoproj.io/v1alpha1 exactly.

/** One template argument, referenced in the template as `{{args.<name>}}`. */
export interface TemplateArg {
  /** kebab-case name, e.g. `canary-hash`. */
  readonly name: string;
  /** What it means and what values make sense; rendered as a comment above the arg. */
  readonly description: string;
  /** The default. An arg with neither `value` nor `valueFrom` is required: the Rollout must pass it. */
  readonly value?: string;
  /** Read from a Secret in the AnalysisRun's namespace (the Rollout's namespace, also for cluster templates). */
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** How often a metric is measured and how many bad measurements it tolerates; see docs/rollouts.md. */
export interface MetricTiming {
  /** Go duration between measurements, e.g. `1m`. */
  readonly interval: string;
  /** Measurements in the run; also sent to the provider as `looks` so its test spends its error rate across them. */
  readonly count: number;
  /** The metric fails when failed measurements exceed this. */
  readonly failureLimit: number;
  /** The metric (and the rollout) pauses as Inconclusive when inconclusive measurements exceed this. */
  readonly inconclusiveLimit: number;
  /** The metric errors when consecutive Error measurements exceed this; Argo retries errors every 10 s. */
  readonly consecutiveErrorLimit: number;
  /** Go duration to wait before the first measurement. */
  readonly initialDelay?: string;
}

export interface WebHeader {
  readonly key: string;
  readonly value: string;
}

/** Argo's `provider.web`. */
export interface WebProviderSpec {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly headers?: readonly WebHeader[];
  readonly jsonBody?: Readonly<Record<string, unknown>>;
  readonly timeoutSeconds?: number;
  readonly jsonPath: string;
}

/** Argo's `provider.prometheus`. */
export interface PrometheusProviderSpec {
  readonly address: string;
  readonly query: string;
  readonly timeout?: number;
  readonly headers?: readonly WebHeader[];
}

export type ProviderSpec =
  | { readonly web: WebProviderSpec }
  | { readonly prometheus: PrometheusProviderSpec };

/** One metric of an AnalysisTemplate, as Argo reads it. */
export interface MetricSpec {
  readonly name: string;
  readonly interval: string;
  readonly initialDelay?: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly provider: ProviderSpec;
}

/** Manifest-side arg (what Argo stores): `value` or `valueFrom`, or neither when required. */
export interface ArgSpec {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

export type TemplateKind = 'ClusterAnalysisTemplate' | 'AnalysisTemplate';

export interface AnalysisTemplateManifest {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: TemplateKind;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly args: readonly ArgSpec[]; readonly metrics: readonly MetricSpec[] };
}

/** A template of the library: everything needed to render it and to document it. */
export interface TemplateDefinition {
  /** e.g. `vllm-latency`. */
  readonly name: string;
  /** One line, rendered as an annotation and in the docs. */
  readonly summary: string;
  /** Which Argo metric provider its metrics use. */
  readonly provider: 'web' | 'prometheus';
  readonly args: readonly TemplateArg[];
  readonly metrics: readonly MetricSpec[];
  /** Why the interval/count/limits are what they are. */
  readonly timingRationale: string;
}

/** Bearer-token authentication towards the provider (its `--token-file`). */
export interface BearerAuth {
  readonly mode: 'bearer';
  /**
   * Secret (in the Rollout's namespace) holding the token.
   * @default 'vllm-canary-api-token'
   */
  readonly secretName?: string;
  /**
   * Key of the token in that Secret.
   * @default 'token'
   */
  readonly secretKey?: string;
}

export interface RenderOptions {
  /**
   * Default of the `provider-url` arg: the provider's base URL as seen from the Argo Rollouts controller.
   * @default 'http://vllm-canary.argo-rollouts.svc:8080'
   */
  readonly providerUrl?: string;
  /**
   * Default of the `prometheus-url` arg of the Prometheus-provider variants.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusUrl?: string;
  /**
   * `none`, or a bearer token read from a Secret through an `api-token` arg.
   * @default { mode: 'none' }
   */
  readonly auth?: { readonly mode: 'none' } | BearerAuth;
  /**
   * Render ClusterAnalysisTemplates (true) or namespaced AnalysisTemplates (false).
   * @default true
   */
  readonly clusterScope?: boolean;
  /** Namespace of namespaced AnalysisTemplates (omitted: the namespace `kubectl apply` uses). */
  readonly namespace?: string;
  /** Extra labels on every template (e.g. a Helm release's labels). */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Seconds Argo waits for the provider; the provider answers within 8 s by default.
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Write each `{{args.x}}` as {{ "{{args.x}}" }} so the output can sit in a Helm template unchanged.
   * @default false
   */
  readonly escapeArgsForHelm?: boolean;
}

/** RenderOptions with every default filled in. */
export interface ResolvedRenderOptions {
  readonly providerUrl: string;
  readonly prometheusUrl: string;
  readonly auth: { readonly mode: 'none' } | Required<BearerAuth>;
  readonly clusterScope: boolean;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly escapeArgsForHelm: boolean;
}
