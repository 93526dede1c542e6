// Durations as Argo Rollouts reads `interval` and `initialDelay`: Go's time.ParseDuration (`30s`, `1m`, `1h30m`,
// `1.5h`, `500ms`; units ns, us, µs, ms, s, m, h; a bare `0`). The result is in milliseconds.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

const PART = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;

/** Parses a Go duration string into milliseconds; throws DurationError with Go's message on anything else. */
export function parseDuration(text: string): number {
  const invalid = () => new DurationError(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    const match = PART.exec(rest);
    if (match === null) {
      if (/^\d*\.?\d*$/.test(rest))
        throw new DurationError(`time: missing unit in duration ${JSON.stringify(text)}`);
      throw invalid();
    }
    const [whole, number, unit] = match as unknown as [string, string, string];
    if (number === '' || number === '.') throw invalid();
    total += Number(number) * (UNIT_MS[unit] ?? Number.NaN);
    rest = rest.slice(whole.length);
  }
  return sign * total;
}

/** `90000` -> `1m30s`, the way Go prints a duration (for messages). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round(((ms % 60_000) / 1000) * 1000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
