// The answer deadline: every check answers within it (default 8 s, below Argo's default timeoutSeconds of 10), so
// Argo sees a clear 504 from the provider instead of its own timeout. The signal reaches every backend query.
import { DeadlineExceededError } from '../errors.js';

export async function withDeadline<T>(
  deadlineMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(`no answer within the deadline of ${deadlineMs} ms`);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } catch (error) {
    // Queries aborted by the deadline fail with their own (timeout) errors, which can win the race: the answer
    // names the deadline whichever error arrived first.
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
