// The canary steps and the analysis. Weights rise; Argo promotes to 100 % after the last step, so 100 is not a step
// unless the user asks for analysis at full traffic. Inline analysis is a blocking `analysis` step after each weight;
// background analysis is one AnalysisRun (`strategy.canary.analysis`) from `startingStep` while pauses hold each
// weight. A manual gate is an indefinite `pause: {}` that `kubectl argo rollouts promote` releases.
import type { Routing, Step } from './routing/types.js';
import { servedModelName } from './workload.js';
import type { RolloutOptions } from './types.js';

export const DEFAULT_WEIGHTS: readonly number[] = [10, 30, 60];
export const DEFAULT_TEMPLATES: readonly string[] = ['vllm-canary-health'];
export const DEFAULT_BACKGROUND_PAUSE = '5m';
/** Args the generator always passes; the user cannot override them. */
export const GENERATED_ARGS: readonly string[] = ['namespace', 'model', 'canary-hash', 'stable-hash'];

export interface AnalysisArg {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly podTemplateHashValue: 'Latest' | 'Stable' };
}

export function analysisArgs(options: RolloutOptions): AnalysisArg[] {
  const extra = Object.entries(options.analysis?.args ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    { name: 'namespace', value: options.namespace },
    { name: 'model', value: servedModelName(options) },
    { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
    ...extra.map(([name, value]) => ({ name, value })),
  ];
}

export function templateRefs(options: RolloutOptions): { templateName: string; clusterScope?: boolean }[] {
  const clusterScope = options.analysis?.clusterScope ?? true;
  return (options.analysis?.templates ?? DEFAULT_TEMPLATES).map((templateName) => ({
    templateName,
    ...(clusterScope ? { clusterScope: true } : {}),
  }));
}

export interface CanarySteps {
  readonly steps: Step[];
  /** `strategy.canary.analysis` for background analysis. */
  readonly background?: Readonly<Record<string, unknown>>;
}

export function canarySteps(options: RolloutOptions, routing: Routing): CanarySteps {
  const mode = options.analysis?.mode ?? 'inline';
  const weights = options.steps?.weights ?? DEFAULT_WEIGHTS;
  const pause = options.steps?.pause ?? (mode === 'background' ? DEFAULT_BACKGROUND_PAUSE : undefined);
  const analysis = { templates: templateRefs(options), args: analysisArgs(options) };

  const steps: Step[] = [...routing.leadingSteps()];
  const firstWeightIndex = steps.length;
  weights.forEach((weight, i) => {
    steps.push({ setWeight: weight });
    if (i === 0) steps.push(...routing.stepsAfterFirstWeight());
    if (pause !== undefined) steps.push({ pause: { duration: pause } });
    if (mode === 'inline') steps.push({ analysis });
  });
  if (options.steps?.manualGate === true) steps.push({ pause: {} });

  if (mode !== 'background') return { steps };
  return {
    steps,
    background: { ...analysis, startingStep: options.analysis?.startingStep ?? firstWeightIndex },
  };
}
