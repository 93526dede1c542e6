// The part of a sample line before its value, `name{labels}`, as text and parsed. A page repeats the same series
// scrape after scrape, and the pods of one model expose the same ones, so the parser looks the text up here and
// parses the labels only of lines it has not seen: with 500 pods that is most of the parsing saved, and every pod's
// series share one name string and one label set (the scraper adds the target's labels when it stores them).
import { ClearingMap } from './clearing-map.js';
import { detached, labelSet, type Labels } from './label-set.js';

/** What the text before a sample's value says. */
export interface ParsedSeries {
  readonly name: string;
  readonly labels: Labels;
  /**
   * The labels other than `le` as canonical text ('' unless the name ends in `_bucket`, `_count` or `_sum`): which
   * histogram of a family a bucket, sum or count belongs to.
   */
  readonly histogramLabels: string;
}

export function parsedSeries(name: string, labels: Labels): ParsedSeries {
  return { name, labels, histogramLabels: HISTOGRAM_PART.test(name) ? withoutLe(labels) : '' };
}

/** The same series with every string detached() from the page it was parsed from. */
export function detachedSeries(series: ParsedSeries): ParsedSeries {
  const labels = labelSet(
    Object.entries(series.labels).map(([name, value]) => [detached(name), detached(value)]),
  );
  return parsedSeries(detached(series.name), labels);
}

const HISTOGRAM_PART = /_(?:bucket|count|sum)$/;

function withoutLe(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .filter((name) => name !== 'le')
      .sort()
      .map((name) => [name, labels[name]]),
  );
}

/**
 * Parsed series by their text. A cache, shared by all targets: when it holds `maxEntries` it starts over (the
 * scraper bounds it by the series the store may hold, which distinct texts in use cannot exceed).
 */
export class SeriesTextCache extends ClearingMap<ParsedSeries> {
  constructor(maxEntries: number) {
    super('SeriesTextCache maxEntries', maxEntries);
  }
}

/**
 * Where the series text of a sample line ends, found without parsing it: after the name and the blanks that follow,
 * and after the label set's closing brace when there is one (braces and escaped quotes inside values skipped). For a
 * valid line it is exactly where the parser's cursor stands after the label set; for an invalid one it may be
 * anything, which is harmless: such text was never parsed successfully, so the lookup misses and the parser reports
 * the error.
 */
export function seriesTextEnd(line: string): number {
  let at = 0;
  while (at < line.length && NAME_CHAR.test(line[at]!)) at += 1;
  while (line[at] === ' ' || line[at] === '\t') at += 1;
  if (line[at] !== '{') return at;
  let quoted = false;
  for (at += 1; at < line.length; at += 1) {
    const ch = line[at];
    if (quoted) {
      if (ch === '\\') at += 1;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '}') return at + 1;
  }
  return at;
}

const NAME_CHAR = /[a-zA-Z0-9_:]/;
