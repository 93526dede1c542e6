// OpenMetrics text for backfilling Prometheus with promtool: counters, gauges and histograms with timestamps.
// Families are data; `writeOpenMetrics` checks them and renders text that ends with `# EOF`.

export type Labels = Readonly<Record<string, string>>;

/** One sample of a counter or gauge. `timestamp` in Unix seconds. */
export interface ScalarPoint {
  readonly labels: Labels;
  readonly timestamp: number;
  readonly value: number;
}

/** One histogram observation set: cumulative bucket counts by upper bound (`+Inf` may be left out), count, sum. */
export interface HistogramPoint {
  readonly labels: Labels;
  readonly timestamp: number;
  readonly buckets: ReadonlyArray<readonly [upperBound: number, cumulativeCount: number]>;
  readonly count: number;
  readonly sum: number;
}

export type MetricFamily =
  | {
      readonly type: 'counter';
      readonly name: string;
      readonly help?: string;
      readonly points: readonly ScalarPoint[];
    }
  | {
      readonly type: 'gauge';
      readonly name: string;
      readonly help?: string;
      readonly points: readonly ScalarPoint[];
    }
  | {
      readonly type: 'histogram';
      readonly name: string;
      readonly help?: string;
      readonly points: readonly HistogramPoint[];
    };

export interface WriteOptions {
  /**
   * How `le` values are written. `shortest` (`le="1"`) is what prom-client and Go clients write (the emulator);
   * `python` (`le="1.0"`) is what vLLM's Python client writes. Mixing both on one series splits its buckets.
   * @default 'shortest'
   */
  readonly leStyle?: 'shortest' | 'python';
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function formatLe(bound: number, style: WriteOptions['leStyle']): string {
  if (style === 'python' && Number.isInteger(bound)) return `${bound}.0`;
  return formatValue(bound);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderLabels(labels: Labels, extra?: readonly [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push([extra[0], extra[1]]);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Points grouped by label set (first appearance order), each group in timestamp order, strictly increasing. */
function groupPoints<P extends { readonly labels: Labels; readonly timestamp: number }>(
  family: string,
  points: readonly P[],
): P[][] {
  const groups = new Map<string, P[]>();
  for (const point of points) {
    for (const name of Object.keys(point.labels)) {
      if (!LABEL_NAME.test(name) || name === 'le' || name === 'quantile') {
        throw new Error(`${family}: invalid label name "${name}"`);
      }
    }
    if (!Number.isFinite(point.timestamp))
      throw new Error(`${family}: timestamp must be finite Unix seconds`);
    const key = labelKey(point.labels);
    const group = groups.get(key) ?? [];
    group.push(point);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.timestamp - b.timestamp);
    sorted.forEach((point, i) => {
      if (i > 0 && point.timestamp === sorted[i - 1]?.timestamp) {
        throw new Error(
          `${family}${renderLabels(point.labels)}: two samples at timestamp ${point.timestamp}`,
        );
      }
    });
    return sorted;
  });
}

function histogramLines(name: string, point: HistogramPoint, leStyle: WriteOptions['leStyle']): string[] {
  const where = `${name}${renderLabels(point.labels)} at ${point.timestamp}`;
  const buckets = [...point.buckets].sort(([a], [b]) => a - b);
  if (buckets.at(-1)?.[0] !== Number.POSITIVE_INFINITY) buckets.push([Number.POSITIVE_INFINITY, point.count]);
  let previous = 0;
  const lines: string[] = [];
  for (const [bound, cumulative] of buckets) {
    if (cumulative < previous) throw new Error(`${where}: bucket counts must not decrease (le=${bound})`);
    previous = cumulative;
    const labels = renderLabels(point.labels, ['le', formatLe(bound, leStyle)]);
    lines.push(`${name}_bucket${labels} ${formatValue(cumulative)} ${point.timestamp}`);
  }
  if (previous !== point.count)
    throw new Error(`${where}: the +Inf bucket (${previous}) must equal count (${point.count})`);
  const labels = renderLabels(point.labels);
  lines.push(`${name}_count${labels} ${formatValue(point.count)} ${point.timestamp}`);
  lines.push(`${name}_sum${labels} ${formatValue(point.sum)} ${point.timestamp}`);
  return lines;
}

/** Renders families as OpenMetrics text, ending with `# EOF`. Throws on names, labels or points promtool would reject. */
export function writeOpenMetrics(families: readonly MetricFamily[], options: WriteOptions = {}): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name "${family.name}"`);
    // OpenMetrics names a counter family without `_total` and its samples with it.
    const familyName = family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    if (seen.has(familyName)) throw new Error(`metric family ${familyName} given twice`);
    seen.add(familyName);
    lines.push(`# TYPE ${familyName} ${family.type}`);
    if (family.help)
      lines.push(`# HELP ${familyName} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    if (family.type === 'histogram') {
      for (const group of groupPoints(familyName, family.points)) {
        for (const point of group) lines.push(...histogramLines(familyName, point, options.leStyle));
      }
    } else {
      const sampleName = family.type === 'counter' ? `${familyName}_total` : familyName;
      for (const group of groupPoints(familyName, family.points)) {
        for (const point of group) {
          lines.push(
            `${sampleName}${renderLabels(point.labels)} ${formatValue(point.value)} ${point.timestamp}`,
          );
        }
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
