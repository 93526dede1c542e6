// The query parameters of every check, read from the provider's own schemas, so tests that throw hostile or random
// values at every parameter cover a parameter the day it is added.
import { errorRatioCheck } from '../../metrics-provider/checks/error-ratio.js';
import { kvCacheCheck } from '../../metrics-provider/checks/kv-cache.js';
import { latencyCheck } from '../../metrics-provider/checks/latency.js';
import { COMMON_PARAMS_SCHEMA } from '../../metrics-provider/checks/params.js';
import { QUALITY_PARAMS_SCHEMA } from '../../metrics-provider/checks/quality.js';
import { queueCheck } from '../../metrics-provider/checks/queue.js';
import type { CheckName } from '../../metrics-provider/checks/types.js';

/** Parameters every check takes, in the schema's order (namespace, model, canary, stable first). */
export const COMMON_PARAMETERS: readonly string[] = Object.keys(COMMON_PARAMS_SCHEMA);

/** Each check's own parameters, beyond the common ones. */
export const CHECK_PARAMETERS: Readonly<Record<CheckName, readonly string[]>> = {
  latency: Object.keys(latencyCheck.paramsSchema),
  'error-ratio': Object.keys(errorRatioCheck.paramsSchema),
  'kv-cache': Object.keys(kvCacheCheck.paramsSchema),
  queue: Object.keys(queueCheck.paramsSchema),
  quality: Object.keys(QUALITY_PARAMS_SCHEMA),
};

/** Every parameter any check takes, common ones first. */
export const ALL_PARAMETERS: readonly string[] = [
  ...new Set([...COMMON_PARAMETERS, ...Object.values(CHECK_PARAMETERS).flat()]),
];
