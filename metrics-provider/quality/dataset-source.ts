// Reading a dataset file into raw entries that know their own lines: YAML through the `yaml` package's node ranges
// and LineCounter, JSONL one item per line. Validation (dataset.ts) asks an entry for the line of any field.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface DatasetProblem {
  readonly file: string;
  /** 1-based line of the field (or of the nearest enclosing one that exists). */
  readonly line: number;
  /** Dotted path: "items.3.scorer.relative" in YAML, "scorer.relative" in JSONL (the line is the item). */
  readonly field: string;
  readonly message: string;
}

/** One raw item with a way to find the line of any path inside it. */
export interface RawEntry {
  readonly value: unknown;
  /** Prefix of fields inside this entry ("items.3", or "" in JSONL). */
  readonly prefix: string;
  lineOf(path: readonly (string | number)[]): number;
}

export interface RawDataset {
  /** The document itself, for a YAML mapping (name, description, items). */
  readonly document?: Readonly<Record<string, unknown>>;
  readonly documentLineOf?: (path: readonly (string | number)[]) => number;
  readonly entries: readonly RawEntry[];
  readonly problems: readonly DatasetProblem[];
}

export function joinField(prefix: string, path: readonly (string | number)[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== '').join('.');
}

export function readJsonl(text: string, file: string): RawDataset {
  const entries: RawEntry[] = [];
  const problems: DatasetProblem[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    try {
      entries.push({ value: JSON.parse(content), prefix: '', lineOf: () => line });
    } catch (error) {
      problems.push({ file, line, field: '', message: `is not valid JSON: ${(error as Error).message}` });
    }
  });
  if (entries.length === 0 && problems.length === 0) {
    problems.push({ file, line: 1, field: '', message: 'holds no items' });
  }
  return { entries, problems };
}

export function readYaml(text: string, file: string): RawDataset {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      entries: [],
      problems: doc.errors.map((error) => ({
        file,
        line: counter.linePos(error.pos[0]).line,
        field: '',
        message: `is not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const lineOf = (path: readonly (string | number)[]) => lineOfPath(doc.contents, path, counter);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (Array.isArray(value)) {
    return { entries: entriesOf(value, [], lineOf), problems: [] };
  }
  if (value === null || typeof value !== 'object') {
    return {
      entries: [],
      problems: [{ file, line: 1, field: '', message: 'must be a list of items or a mapping with `items`' }],
    };
  }
  const document = value as Record<string, unknown>;
  const items = Array.isArray(document.items) ? document.items : [];
  return { document, documentLineOf: lineOf, entries: entriesOf(items, ['items'], lineOf), problems: [] };
}

function entriesOf(
  items: readonly unknown[],
  base: readonly (string | number)[],
  lineOf: (path: readonly (string | number)[]) => number,
): RawEntry[] {
  return items.map((value, index) => ({
    value,
    prefix: joinField('', [...base, index]),
    lineOf: (path) => lineOf([...base, index, ...path]),
  }));
}

/** The line of the deepest node on `path` that exists: the key's line for a mapping entry. */
function lineOfPath(root: unknown, path: readonly (string | number)[], counter: LineCounter): number {
  let node: unknown = root;
  let offset = rangeStart(root) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return counter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
