// Exit codes of `vllm-canary analyze`, by the phase Argo would reach: what a Rollout would do next.
import type { AnalysisPhase } from './types.js';

/** 0 Successful (promote), 1 Failed or Error (abort; also any usage error), 2 Inconclusive (pause for a person). */
export function exitCodeOf(phase: AnalysisPhase): 0 | 1 | 2 {
  if (phase === 'Successful') return 0;
  if (phase === 'Inconclusive') return 2;
  return 1;
}
