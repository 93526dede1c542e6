// Typed props of the Rollout generator. Every prop is readonly; defaults are documented with @default and applied
// in one place (generate.ts). Routing choices come from the factories in routing/ (routing.gatewayApi({...}), ...).
import type { Routing } from './routing/types.js';

/** Any Kubernetes object the generator emits or lint reads. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** A header that sends a request to the canary whatever the weight (testers, internal clients). */
export interface HeaderRouteOptions {
  /** HTTP header name, e.g. `X-Canary`. */
  readonly header: string;
  /** Value to match. */
  readonly value: string;
  /**
   * How the value matches. NGINX supports exact (canary-by-header-value) and regex (canary-by-header-pattern).
   * @default 'exact'
   */
  readonly match?: 'exact' | 'prefix' | 'regex';
}

export interface StepsOptions {
  /**
   * Canary traffic weights, rising. After the last step Argo promotes the canary to 100 %, so 100 is implied and
   * usually not listed.
   * @default [10, 30, 60]
   */
  readonly weights?: readonly number[];
  /**
   * Pause after each weight (Go duration). With background analysis this is how long each weight is held.
   * @default '5m' with background analysis, none with inline analysis
   */
  readonly pause?: string;
  /**
   * An indefinite pause after the last weight: a person promotes with `kubectl argo rollouts promote`.
   * @default false
   */
  readonly manualGate?: boolean;
}

export interface AnalysisOptions {
  /**
   * `inline`: an analysis step after every weight, which blocks; `background`: one AnalysisRun for the whole
   * rollout from `startingStep`; `none`: no analysis.
   * @default 'inline'
   */
  readonly mode?: 'inline' | 'background' | 'none';
  /**
   * Templates of the library to run.
   * @default ['vllm-canary-health']
   */
  readonly templates?: readonly string[];
  /**
   * Reference ClusterAnalysisTemplates (true) or AnalysisTemplates in the Rollout's namespace (false).
   * @default true
   */
  readonly clusterScope?: boolean;
  /**
   * Background analysis starts at this step index.
   * @default 1 (after the first setWeight)
   */
  readonly startingStep?: number;
  /** Values for the templates' optional args (limits, window...), e.g. `{ 'latency-max': '30' }`. */
  readonly args?: Readonly<Record<string, string>>;
}

export interface ResourceOptions {
  /** GPUs per pod (`nvidia.com/gpu` limit). @default 1 */
  readonly gpus?: number;
  /** CPU request, e.g. `4`. */
  readonly cpu?: string;
  /** Memory request and limit, e.g. `32Gi`. */
  readonly memory?: string;
  /** Size of the shared-memory volume at /dev/shm (vLLM's tensor-parallel workers need more than 64 Mi). @default '8Gi' */
  readonly shm?: string;
}

export interface PodMonitorOptions {
  /** @default true */
  readonly enabled?: boolean;
  /** Labels the Prometheus CR's podMonitorSelector looks for, e.g. `{ release: 'prometheus' }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Scrape interval. @default '15s' */
  readonly interval?: string;
}

export interface RolloutOptions {
  /** Rollout name; also names the Services (`<name>-stable`, `<name>-canary`) and routing objects. */
  readonly name: string;
  readonly namespace: string;
  /** What vLLM loads (`--model`): a Hugging Face id or a path. */
  readonly model: string;
  /** The name clients and metrics use (`--served-model-name`, the `model_name` label). @default model */
  readonly servedModelName?: string;
  /** vLLM OpenAI server image, e.g. `vllm/vllm-openai:v0.11.0`. */
  readonly image: string;
  /** Extra vLLM arguments (not --port, --model or --served-model-name, which the generator sets). */
  readonly vllmArgs?: readonly string[];
  /** @default 2 */
  readonly replicas?: number;
  readonly resources?: ResourceOptions;
  readonly routing: Routing;
  readonly steps?: StepsOptions;
  readonly analysis?: AnalysisOptions;
  readonly podMonitor?: PodMonitorOptions;
}

/** The container port vLLM serves the OpenAI API, /health and /metrics on. */
export const VLLM_PORT = 8000;
