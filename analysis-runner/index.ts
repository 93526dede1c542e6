// Public surface of the local analysis runner: runs AnalysisTemplates against a live web metric provider with
// Argo Rollouts' semantics (v1.9.1) and reports the phase Argo would reach, live, measurement by measurement.
export { runAnalysis, startAnalysis, ERROR_RETRY_MS } from './run.js';
export { send, type WebAnswer, type WebRequest } from './web-request.js';
export type { Transport } from './measure.js';
export type { AnalysisRunHandle, MeasurementOutcome, RunAnalysisOptions } from './run.js';
export type { AnalysisEvent, AnalysisResult, MetricInfo } from './events.js';
export {
  planAnalysis,
  AnalysisSpecError,
  type AnalysisPlan,
  type MetricPlan,
  type PlanInput,
} from './plan.js';
export {
  loadTemplates,
  parseTemplates,
  libraryTemplate,
  libraryTemplateNames,
  TemplateError,
} from './templates.js';
export { ArgError } from './args.js';
export { scaledClock, instantClock, type Clock } from './clock.js';
export { parseDuration, formatDuration, DurationError } from './durations.js';
export { conditionPhase, assessMetric, assessRun, countMeasurement, isWorse } from './phases.js';
export {
  parseJsonPath,
  JsonPathSyntaxError,
  JsonPathLookupError,
  type Json,
  type JsonPath,
} from './jsonpath.js';
export {
  compileCondition,
  evalCondition,
  ExprRuntimeError,
  ExprSyntaxError,
  ExprUnsupportedError,
  SUPPORTED_FUNCTIONS,
  type Condition,
} from './expr/index.js';
export { exitCodeOf } from './exit-codes.js';
export type {
  AnalysisPhase,
  AnalysisTemplate,
  Measurement,
  MeasurementPhase,
  Metric,
  MetricCounters,
  MetricResult,
  TemplateArg,
  WebMetric,
} from './types.js';
