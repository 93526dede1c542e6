// Analysis windows as Prometheus durations of one unit ("90s", "5m", "1h"), bounded to what a canary analysis needs.
import { InvalidRequestError } from '../errors.js';

export const WINDOW_PATTERN = '^[1-9][0-9]{0,4}[smh]$';
const MIN_SECONDS = 10;
const MAX_SECONDS = 24 * 3600;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

export function windowSeconds(window: string): number {
  const match = /^([1-9][0-9]{0,4})([smh])$/.exec(window);
  if (match === null) {
    throw new InvalidRequestError(`window ${JSON.stringify(window)} is not a duration`, [
      { field: 'window', message: 'not a duration', allowed: 'a number and one unit s, m or h, e.g. 5m' },
    ]);
  }
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new InvalidRequestError(`window ${window} is out of range`, [
      { field: 'window', message: `${seconds}s is out of range`, allowed: `${MIN_SECONDS}s to 24h` },
    ]);
  }
  return seconds;
}
