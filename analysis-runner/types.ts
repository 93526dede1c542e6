// The parts of argoproj.io/v1alpha1 AnalysisTemplate / ClusterAnalysisTemplate the runner reads, and the phases,
// measurements and events it produces. Field names follow Argo Rollouts exactly.

/** Argo's AnalysisPhase. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** The phases a finished measurement can have. */
export type MeasurementPhase = Extract<AnalysisPhase, 'Successful' | 'Failed' | 'Error' | 'Inconclusive'>;

export const COMPLETED_PHASES: ReadonlySet<AnalysisPhase> = new Set([
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
]);

export function isCompleted(phase: AnalysisPhase): boolean {
  return COMPLETED_PHASES.has(phase);
}

/** Kubernetes IntOrString, as Argo accepts it for count and the limits. */
export type IntOrString = number | string;

export interface TemplateArg {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface WebHeader {
  readonly key: string;
  readonly value: string;
}

export interface WebMetric {
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly WebHeader[];
  readonly body?: string;
  readonly jsonBody?: unknown;
  readonly timeoutSeconds?: number;
  readonly jsonPath?: string;
  readonly insecure?: boolean;
  readonly authentication?: { readonly oauth2?: Readonly<Record<string, unknown>> };
}

export interface Metric {
  readonly name: string;
  readonly interval?: string;
  readonly initialDelay?: string;
  readonly count?: IntOrString;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly failureLimit?: IntOrString;
  readonly inconclusiveLimit?: IntOrString;
  readonly consecutiveErrorLimit?: IntOrString;
  readonly consecutiveSuccessLimit?: IntOrString;
  readonly provider: Readonly<Record<string, unknown>> & { readonly web?: WebMetric };
}

export interface DryRun {
  readonly metricName: string;
}

export interface AnalysisTemplate {
  readonly apiVersion: string;
  readonly kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly args?: readonly TemplateArg[];
    readonly metrics: readonly Metric[];
    readonly dryRun?: readonly DryRun[];
  };
}

/** One measurement, as Argo records it in the AnalysisRun's status. */
export interface Measurement {
  readonly phase: MeasurementPhase;
  /** The JSON of what the jsonPath matched (Argo's `value`), or the raw body of a non-JSON answer. */
  readonly value?: string;
  /** Why the measurement is Error (Argo's `message`). */
  readonly message?: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The `reason` of the provider's answer, when it has one (shown, not judged). */
  readonly reason?: string;
  /** Set when the answer was 2xx but not JSON: Argo v1.9.1 calls that Successful without judging it. */
  readonly nonJsonQuirk?: boolean;
}

/** Argo's MetricResult counters. */
export interface MetricCounters {
  readonly count: number;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
  readonly consecutiveError: number;
  readonly consecutiveSuccess: number;
}

export interface MetricResult extends MetricCounters {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly dryRun: boolean;
  readonly measurements: readonly Measurement[];
  /** Why the metric reached its phase (`failed (2) > failureLimit (1)`). */
  readonly message?: string;
}
