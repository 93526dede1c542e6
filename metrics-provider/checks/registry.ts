// Every check by name: the one place the API and the composite analysis look checks up.
import { NotFoundError } from '../errors.js';
import { errorRatioCheck } from './error-ratio.js';
import { kvCacheCheck } from './kv-cache.js';
import { latencyCheck } from './latency.js';
import { queueCheck } from './queue.js';
import { CHECK_NAMES, type CheckDefinition, type CheckName } from './types.js';

const METRIC_CHECKS: Readonly<Record<Exclude<CheckName, 'quality'>, CheckDefinition>> = {
  latency: latencyCheck as unknown as CheckDefinition,
  'error-ratio': errorRatioCheck as unknown as CheckDefinition,
  'kv-cache': kvCacheCheck as unknown as CheckDefinition,
  queue: queueCheck as unknown as CheckDefinition,
};

export class CheckRegistry {
  private readonly checks: Map<CheckName, CheckDefinition>;

  constructor(quality: CheckDefinition) {
    this.checks = new Map<CheckName, CheckDefinition>([
      ...(Object.entries(METRIC_CHECKS) as [CheckName, CheckDefinition][]),
      ['quality', quality],
    ]);
  }

  get(name: string): CheckDefinition {
    const check = this.checks.get(name as CheckName);
    if (check === undefined) {
      throw new NotFoundError(
        `unknown check ${JSON.stringify(name.slice(0, 64))}; known: ${CHECK_NAMES.join(', ')}`,
      );
    }
    return check;
  }

  all(): readonly CheckDefinition[] {
    return [...this.checks.values()];
  }
}
