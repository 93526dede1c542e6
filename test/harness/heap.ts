// How much heap something keeps alive, for tests of what a long-lived structure holds on to.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A context made after the flag has `gc`, even though this process started without --expose-gc.
const gc = runInNewContext('gc') as () => void;

function heapUsedAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The heap still in use after `build` has run and a full collection, less what was in use before it. */
export function retainedBytes(build: () => unknown): { bytes: number; kept: unknown } {
  const before = heapUsedAfterGc();
  const kept = build();
  return { bytes: heapUsedAfterGc() - before, kept };
}
