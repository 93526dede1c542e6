// Helpers for the runner's unit tests: a template from a few metric fields, and a stand-in provider that plays a
// literal list of measurement phases per metric.
import {
  instantClock,
  runAnalysis,
  type AnalysisResult,
  type AnalysisTemplate,
  type MeasurementPhase,
  type Metric,
} from '../../../analysis-runner/index.js';

export function metric(name: string, fields: Partial<Metric> = {}): Metric {
  return {
    name,
    successCondition: 'result == "pass"',
    failureCondition: 'result == "fail"',
    provider: { web: { url: 'http://provider.invalid/api/v1/checks/latency', jsonPath: '{$.verdict}' } },
    ...fields,
  };
}

export function template(metrics: Metric[], extra: Partial<AnalysisTemplate['spec']> = {}): AnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'test' },
    spec: { metrics, ...extra },
  };
}

const LETTER: Readonly<Record<string, MeasurementPhase>> = {
  S: 'Successful',
  F: 'Failed',
  I: 'Inconclusive',
  E: 'Error',
};

/** Runs metrics whose measurements follow literal scripts: `{ latency: 'SFF' }` (the last letter repeats). */
export async function play(
  metrics: Metric[],
  scripts: Readonly<Record<string, string>>,
  options: { dryRun?: string[]; maxMeasurements?: number; templateDryRun?: string[] } = {},
): Promise<AnalysisResult> {
  const clock = instantClock();
  return runAnalysis({
    templates: [
      template(
        metrics,
        options.templateDryRun
          ? { dryRun: options.templateDryRun.map((metricName) => ({ metricName })) }
          : {},
      ),
    ],
    clock,
    ...(options.dryRun ? { dryRun: options.dryRun.map((metricName) => ({ metricName })) } : {}),
    ...(options.maxMeasurements !== undefined ? { maxMeasurements: options.maxMeasurements } : {}),
    provider: (plan, attempt) => {
      const script = scripts[plan.metric.name] ?? 'S';
      const letter = script[Math.min(attempt, script.length - 1)] as string;
      const phase = LETTER[letter] as MeasurementPhase;
      return phase === 'Error' ? { phase, message: 'received non 2xx response code: 502' } : { phase };
    },
  });
}

/** The phases of a metric's measurements as letters, e.g. `SFF`. */
export function letters(result: AnalysisResult, name: string): string {
  const m = result.metrics.find((x) => x.name === name);
  return (m?.measurements ?? []).map((x) => x.phase[0]).join('');
}

/** Seconds since the first measurement at which each measurement of a metric started. */
export function seconds(result: AnalysisResult, name: string): number[] {
  const start = result.startedAt.getTime();
  const m = result.metrics.find((x) => x.name === name);
  return (m?.measurements ?? []).map((x) => (x.startedAt.getTime() - start) / 1000);
}
