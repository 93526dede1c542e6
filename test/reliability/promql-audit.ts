// The PromQL injection audit: every query the provider sent must have one of the shapes the provider renders, and
// every string literal in it must be a value a valid request could carry for that label, escaped. Anything else
// means a request reached the query text.
import { DNS_LABEL_PATTERN, MODEL_PATTERN } from '../../metrics-provider/checks/params.js';
import { catalog } from '../../metrics-provider/index.js';

const LITERAL = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|=|!=|!~)"((?:[^"\\]|\\.)*)"/g;
const DNS = new RegExp(DNS_LABEL_PATTERN);
const MODEL = new RegExp(MODEL_PATTERN);
const METRIC_NAMES = new Set<string>(
  Object.values(catalog.VLLM_METRICS).flatMap((n) => [n, `${n}_bucket`, `${n}_count`, `${n}_sum`]),
);

const TRACK = '(?:rollouts_pod_template_hash|service)';
/** One track's part of a query, or two tracks' parts joined with `or` (a check's canary and stable asked at once). */
const arms = (arm: string) => `${arm}(?: or ${arm})?`;
const INCREASE = String.raw`increase\(M\{MATCHERS\}\[\d+s\]\)`;

/** The query shapes the provider renders, with every literal replaced by `""` and metric names by `M`. */
const SHAPES = [
  new RegExp(String.raw`^sum by \(le, ${TRACK}\) \(${arms(INCREASE)}\)$`),
  new RegExp(String.raw`^sum by \((?:(?:status|finished_reason), )?${TRACK}\) \(${arms(INCREASE)}\)$`),
  new RegExp(
    String.raw`^(max|avg) by \(${TRACK}\) \(${arms(String.raw`\1_over_time\(M\{MATCHERS\}\[\d+s\]\)`)}\)$`,
  ),
  new RegExp(
    String.raw`^group by \(__name__, ${TRACK}\) \(${arms(String.raw`\{__name__=~"", MATCHERS\}`)}\)$`,
  ),
];

function unescapePromql(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
}

/** Problems with one query; empty when it is one the provider may send. */
export function auditQuery(query: string): string[] {
  const problems: string[] = [];
  for (const [, label, op, raw] of query.matchAll(LITERAL)) {
    const value = unescapePromql(raw!);
    const ok = (() => {
      switch (label) {
        case 'namespace':
        case 'rollouts_pod_template_hash':
        case 'service':
          return op === '=' && DNS.test(value);
        case 'model_name':
          return op === '=' && MODEL.test(value);
        case 'status':
          return op === '=' && value === '5xx';
        case 'finished_reason':
          return op === '=~' && value === 'abort|error';
        case '__name__':
          return op === '=~' && value.split('|').every((n) => METRIC_NAMES.has(n.replace(/\\(.)/g, '$1')));
        default:
          return false;
      }
    })();
    if (!ok) problems.push(`${label}${op}${JSON.stringify(value)} is not a value a valid request carries`);
  }
  const shape = query
    .replace(/__name__=~"(?:[^"\\]|\\.)*"/g, '__name__=~""')
    .replace(/\{((?:[a-z_]+(?:=|=~)"(?:[^"\\]|\\.)*"(?:, )?)+)\}/g, (whole) =>
      whole.startsWith('{__name__') ? whole : '{MATCHERS}',
    )
    .replace(/\{__name__=~"", (?:[a-z_]+(?:=|=~)"(?:[^"\\]|\\.)*"(?:, )?)+\}/g, '{__name__=~"", MATCHERS}')
    .replace(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\{MATCHERS\})/g, (name) => (METRIC_NAMES.has(name) ? 'M' : name));
  if (!SHAPES.some((s) => s.test(shape))) problems.push(`unexpected query shape: ${shape}`);
  return problems;
}
