// Public surface of sampled model quality: datasets, scorers, the sampler's service, and the observations the
// quality check judges. The provider wires it with createQualityService(...) and passes the service as its
// QualityObserver.
export type {
  ChatMessage,
  Dataset,
  DatasetItem,
  PairResult,
  RequestOutcome,
  Score,
  ScorerSpec,
  Track,
} from './types.js';
export { FAILED_BELOW, TRACKS } from './types.js';
export {
  parseDataset,
  loadDataset,
  loadDatasets,
  defaultDataset,
  DatasetError,
  DATASET_EXTENSIONS,
  type DatasetProblem,
  type ParseOptions,
} from './dataset.js';
export { ITEM_SCHEMA, DOCUMENT_SCHEMA, DATASET_NAME_PATTERN } from './dataset-schema.js';
export { answerBookFromDataset, lookupText, type AnswerBookEntry } from './answer-book.js';
export { ScorerRegistry, defaultScorers, BUILTIN_SCORERS, type ScorerProblem } from './scorers/registry.js';
export { defineScorer, type Scorer, type JsonSchema } from './scorers/scorer.js';
export { numbersIn } from './scorers/numeric.js';
export { chosenLetter } from './scorers/choice.js';
export { extractJson } from './scorers/json.js';
export { tokenF1 } from './scorers/f1.js';
export { normalizeText, stripMarkdown } from './scorers/text.js';
export {
  TokenBucket,
  Semaphore,
  RequestBudget,
  systemClock,
  type BudgetOptions,
  type Clock,
} from './budget.js';
export {
  serviceUrl,
  baseUrl,
  resolveEndpoint,
  type Endpoint,
  type EndpointsConfig,
  type QualityTrack,
} from './endpoints.js';
export {
  Sampler,
  pickItems,
  countOutcomes,
  type OutcomeCounts,
  type SamplerOptions,
  type PairRequest,
} from './sampler.js';
export { QualityStore, trackKey, type QualityStoreOptions, type StoreKey } from './store.js';
export { QualityMetrics, QUALITY_METRICS } from './metrics.js';
export {
  qualityObservation,
  observationFromSums,
  summaryOf,
  type ObservationOptions,
  type WeightedSums,
} from './observation.js';
export {
  prometheusQualityObservation,
  trackQueries,
  type InstantQuery,
  type PrometheusQualityQuestion,
  type PrometheusTrack,
} from './prometheus-observation.js';
export {
  createQualityService,
  type QualityService,
  type QualityServiceOptions,
  type SampleNowRequest,
  type SampleReport,
} from './service.js';
