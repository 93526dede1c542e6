// A parser for the Prometheus text exposition format 0.0.4, the page vLLM (prometheus_client) and prom-client serve.
// It follows what Prometheus' own scraper accepts: HELP/TYPE and plain comments, blanks and tabs between tokens,
// escaped label values, `+Inf`/`-Inf`/`NaN`, optional millisecond timestamps, a trailing comma in a label set.
// Two checks go beyond the grammar because a page cut short must fail the scrape rather than be half-ingested:
// every line ends with a newline (the format requires it), and every histogram has its `+Inf` bucket and `_count`.

import { detached, labelSet, type Labels } from './label-set.js';
import {
  detachedSeries,
  parsedSeries,
  seriesTextEnd,
  type ParsedSeries,
  type SeriesTextCache,
} from './series-text.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample line; labels without a prototype (a label may be called `__proto__`), see labelSet(). */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Labels;
  /** The name and labels again, as one object that every line with the same series text shares (see series-text.ts). */
  readonly series: ParsedSeries;
  readonly value: number;
  /** Milliseconds since the epoch, when the line carries a timestamp. */
  readonly timestampMs?: number;
}

export interface ParsedPage {
  readonly samples: readonly ParsedSample[];
  /** TYPE per family name (first TYPE line wins, as in Prometheus). */
  readonly types: ReadonlyMap<string, MetricType>;
}

/** The page is not valid exposition text, or is incomplete; `line` is 1-based (0 for whole-page problems). */
export class ExpositionError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
    this.name = 'ExpositionError';
  }
}

// Sticky: matched at the cursor (lastIndex), so no line is copied to match a token.
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const INTEGER = /^-?\d+$/;
const WHITESPACE = /\s/;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * Parses a whole page; throws ExpositionError on the first malformed line or an incomplete page. With a cache, the
 * labels of a series already seen in it are not parsed again, and the series parsed here are added to it.
 */
export function parseExposition(text: string, cache?: SeriesTextCache): ParsedPage {
  if (text.length > 0 && !text.endsWith('\n')) {
    throw new ExpositionError('the page does not end with a newline: it was cut short', 0);
  }
  const lines = text.split('\n');
  lines.pop();
  const samples: ParsedSample[] = [];
  const types = new Map<string, MetricType>();
  lines.forEach((raw, index) => {
    const line = trimBlanks(raw);
    if (line === '') return;
    if (line.startsWith('#')) {
      parseComment(line, index + 1, types);
      return;
    }
    samples.push(new LineParser(line, index + 1).sample(cache));
  });
  checkHistogramsComplete(samples, types);
  return { samples, types };
}

/** Parses a float as Go's strconv.ParseFloat does for the forms exporters write. */
export function parseFloatValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  const special = SPECIAL.exec(token);
  if (special === null) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function parseComment(line: string, lineNo: number, types: Map<string, MetricType>): void {
  const tokens = line
    .slice(1)
    .trim()
    .split(/[ \t]+/);
  const keyword = tokens[0];
  if (keyword !== 'HELP' && keyword !== 'TYPE') return; // an ordinary comment
  const name = tokens[1];
  if (name === undefined || !isMetricName(name)) {
    throw new ExpositionError(`${keyword} line without a valid metric name`, lineNo);
  }
  if (keyword === 'HELP') return; // help text is not kept
  const type = tokens[2];
  if (type === undefined || !TYPES.has(type) || tokens.length > 3) {
    throw new ExpositionError(
      `TYPE ${name}: unknown type ${JSON.stringify(tokens.slice(2).join(' '))}`,
      lineNo,
    );
  }
  if (!types.has(name)) types.set(name, type as MetricType);
}

/** A cursor over one sample line: `name{labels} value [timestamp]`. */
class LineParser {
  private pos = 0;

  constructor(
    private readonly line: string,
    private readonly lineNo: number,
  ) {}

  sample(cache: SeriesTextCache | undefined): ParsedSample {
    const series = cache === undefined ? this.series() : this.cachedSeries(cache);
    const { name, labels } = series;
    // A name runs until a character that cannot be in a name, so `name1` never splits into `name` and `1`.
    const [valueToken, ts] = this.fields();
    if (valueToken === '') this.fail(`${name}: the sample has no value`);
    if (ts === null) this.fail(`${name}: unexpected text after the timestamp`);
    const value = parseFloatValue(valueToken);
    if (value === undefined) this.fail(`${name}: ${JSON.stringify(valueToken)} is not a number`);
    if (ts === undefined) return { name, labels, series, value };
    const timestampMs = INTEGER.test(ts) ? Number(ts) : Number.NaN;
    if (!Number.isSafeInteger(timestampMs)) this.fail(`${name}: ${JSON.stringify(ts)} is not a timestamp`);
    return { name, labels, series, value, timestampMs };
  }

  /** The series from the cache when its text is there, else parsed and added to it. */
  private cachedSeries(cache: SeriesTextCache): ParsedSeries {
    const end = seriesTextEnd(this.line);
    const known = cache.get(this.line.slice(0, end));
    if (known !== undefined) {
      this.pos = end;
      return known;
    }
    // The cache keeps it for as long as pages show it: copies, so that it does not keep this page alive.
    const series = detachedSeries(this.series());
    cache.set(detached(this.line.slice(0, this.pos)), series);
    return series;
  }

  /** The name and the label set, the cursor left where the value may start. */
  private series(): ParsedSeries {
    const name = this.token(METRIC_NAME, 'a metric name');
    this.blanks();
    return parsedSeries(name, this.peek() === '{' ? this.labels() : EMPTY);
  }

  private labels(): Labels {
    this.pos += 1; // '{'
    const pairs: [string, string][] = [];
    for (;;) {
      this.blanks();
      if (this.peek() === '}') break;
      const label = this.token(LABEL_NAME, 'a label name');
      if (label === '__name__') this.fail('the label __name__ is reserved');
      if (pairs.some(([seen]) => seen === label)) this.fail(`duplicate label ${label}`);
      this.blanks();
      this.expect('=');
      this.blanks();
      pairs.push([label, this.quoted(label)]);
      this.blanks();
      if (this.peek() === ',') this.pos += 1;
      else if (this.peek() !== '}') this.fail(`expected "," or "}" after the value of ${label}`);
    }
    this.pos += 1; // '}'
    return labelSet(pairs);
  }

  /** A double-quoted label value; `\\`, `\"` and `\n` are unescaped, any other escape is kept as written. */
  private quoted(label: string): string {
    this.expect('"');
    let out = '';
    let from = this.pos; // start of the run of plain characters not yet copied to `out`
    for (;;) {
      const ch = this.line[this.pos];
      if (ch === undefined) this.fail(`the value of ${label} has no closing quote`);
      this.pos += 1;
      if (ch === '"') return out + this.line.slice(from, this.pos - 1);
      if (ch !== '\\') continue;
      const next = this.line[this.pos];
      if (next === undefined) this.fail(`the value of ${label} ends inside an escape`);
      out += this.line.slice(from, this.pos - 1);
      this.pos += 1;
      out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
      from = this.pos;
    }
  }

  /**
   * The value and the timestamp after the cursor, which stays where it is: the rest of the line with whitespace
   * trimmed, split at blanks. The value is '' when there is none, the timestamp null when more text follows it.
   */
  private fields(): [value: string, timestamp: string | undefined | null] {
    const { line } = this;
    let at = this.pos;
    let end = line.length;
    while (at < end && WHITESPACE.test(line[at]!)) at += 1;
    while (end > at && WHITESPACE.test(line[end - 1]!)) end -= 1;
    const field = (): string => {
      const start = at;
      while (at < end && line[at] !== ' ' && line[at] !== '\t') at += 1;
      const text = line.slice(start, at);
      while (at < end && (line[at] === ' ' || line[at] === '\t')) at += 1;
      return text;
    };
    const value = field();
    if (at === end) return [value, undefined];
    const timestamp = field();
    return [value, at === end ? timestamp : null];
  }

  private token(pattern: RegExp, what: string): string {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.line);
    if (match === null) this.fail(`expected ${what}`);
    this.pos += match[0].length;
    return match[0];
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos += 1;
  }

  private blanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos += 1;
  }

  private peek(): string | undefined {
    return this.line[this.pos];
  }

  private fail(message: string): never {
    throw new ExpositionError(`${message} (at column ${this.pos + 1})`, this.lineNo);
  }
}

const EMPTY: Labels = labelSet([]);

/** Whether the whole of `name` is a metric name. */
function isMetricName(name: string): boolean {
  METRIC_NAME.lastIndex = 0;
  return METRIC_NAME.exec(name)?.[0] === name;
}

/** The line without leading and trailing blanks (spaces and tabs), copied only when it has some. */
function trimBlanks(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && (line[start] === ' ' || line[start] === '\t')) start += 1;
  while (end > start && (line[end - 1] === ' ' || line[end - 1] === '\t')) end -= 1;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

/**
 * A histogram whose series lacks its `+Inf` bucket or its `_count` is what a page cut between two lines looks like;
 * Prometheus would store the half, which makes `increase()` of the missing buckets vanish for a scrape. Refuse it.
 */
function checkHistogramsComplete(
  samples: readonly ParsedSample[],
  types: ReadonlyMap<string, MetricType>,
): void {
  const groups = new Map<string, { family: string; inf: boolean; count: boolean }>();
  for (const sample of samples) {
    const family = histogramFamily(sample.name, types);
    if (family === undefined) continue;
    const suffix = sample.name.slice(family.length);
    const key = `${family}${sample.series.histogramLabels}`;
    const group = groups.get(key) ?? { family, inf: false, count: false };
    groups.set(key, group);
    if (suffix === '_bucket' && parseFloatValue(sample.labels.le ?? '') === Number.POSITIVE_INFINITY) {
      group.inf = true;
    }
    if (suffix === '_count') group.count = true;
  }
  for (const group of groups.values()) {
    if (!group.inf || !group.count) {
      const missing = [group.inf ? '' : 'its +Inf bucket', group.count ? '' : 'its _count'].filter(Boolean);
      throw new ExpositionError(
        `histogram ${group.family} lacks ${missing.join(' and ')}: the page is incomplete`,
        0,
      );
    }
  }
}

function histogramFamily(name: string, types: ReadonlyMap<string, MetricType>): string | undefined {
  for (const suffix of ['_bucket', '_count', '_sum']) {
    if (!name.endsWith(suffix)) continue;
    const family = name.slice(0, -suffix.length);
    if (types.get(family) === 'histogram') return family;
  }
  return undefined;
}
