// The vLLM emulator: an OpenAI-compatible HTTP server with vLLM's metrics and a configurable behaviour profile.
// This file is the module's only public surface.
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator.js';
export {
  defaultProfile,
  loadProfileFile,
  mergeProfile,
  validateProfilePatch,
  ProfileError,
  type LogNormal,
  type PartialProfile,
  type Profile,
} from './profile.js';
export { loadAnswerBookFile, validateAnswerBook, type AnswerBook, type AnswerBookItem } from './answers.js';
export {
  drawLatency,
  drawOutcome,
  kvCacheUsage,
  preemptionProbability,
  type FinishedReason,
  type LatencyDraw,
  type LatencyInput,
  type OutcomeDraw,
} from './latency.js';
export { HTTP_DURATION_BUCKETS } from './metrics.js';
