// Reference datasets: parsed from YAML or JSONL, validated with ajv (item schema, then the scorer's own options and
// `expected`), and checked against themselves (a given `answer` must score 1, a given `wrong` below 0.5). Every
// problem names the file, the line and the field, and all of them are reported at once.
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { DATASET_NAME_PATTERN, DOCUMENT_SCHEMA, ITEM_SCHEMA } from './dataset-schema.js';
import { joinField, readJsonl, readYaml, type DatasetProblem, type RawEntry } from './dataset-source.js';
import { defaultScorers, type ScorerRegistry } from './scorers/registry.js';
import { FAILED_BELOW, type ChatMessage, type Dataset, type DatasetItem, type ScorerSpec } from './types.js';

export type { DatasetProblem } from './dataset-source.js';

export class DatasetError extends Error {
  constructor(readonly problems: readonly DatasetProblem[]) {
    super(
      `invalid dataset: ${problems
        .map((p) => `${p.file}:${p.line}: ${p.field ? `${p.field} ` : ''}${p.message}`)
        .join('; ')}`,
    );
    this.name = 'DatasetError';
  }
}

export interface ParseOptions {
  /** @default the built-in scorers */
  readonly scorers?: ScorerRegistry;
}

export const DATASET_EXTENSIONS = ['.yaml', '.yml', '.json', '.jsonl'] as const;
const DEFAULT_SCORER: ScorerSpec = { type: 'normalized' };

const ajv = new Ajv({ allErrors: true, strict: false });
const validateItem = ajv.compile(ITEM_SCHEMA);
const validateDocument = ajv.compile(DOCUMENT_SCHEMA);

/** Parses a dataset; `fileName` names it in errors, picks the format (.jsonl, else YAML) and the default name. */
export function parseDataset(text: string, fileName: string, options: ParseOptions = {}): Dataset {
  const scorers = options.scorers ?? defaultScorers;
  const jsonl = extname(fileName).toLowerCase() === '.jsonl';
  const raw = jsonl ? readJsonl(text, fileName) : readYaml(text, fileName);
  const problems: DatasetProblem[] = [...raw.problems];
  const at = (entry: RawEntry, path: readonly (string | number)[], message: string) =>
    problems.push({
      file: fileName,
      line: entry.lineOf(path),
      field: joinField(entry.prefix, path),
      message,
    });

  if (raw.document && raw.documentLineOf && !validateDocument(raw.document)) {
    for (const { path, message } of ajvProblems(validateDocument.errors)) {
      problems.push({ file: fileName, line: raw.documentLineOf(path), field: joinField('', path), message });
    }
  }
  const name = typeof raw.document?.name === 'string' ? raw.document.name : nameFromFile(fileName);
  if (!new RegExp(DATASET_NAME_PATTERN).test(name)) {
    problems.push({
      file: fileName,
      line: 1,
      field: 'name',
      message: `${JSON.stringify(name)} is not a valid dataset name (lower case letters, digits and -; set name:)`,
    });
  }

  const items: DatasetItem[] = [];
  const seen = new Map<string, number>();
  for (const entry of raw.entries) {
    const item = checkEntry(entry, fileName, scorers, at);
    if (!item) continue;
    const first = seen.get(item.id);
    if (first !== undefined) at(entry, ['id'], `${JSON.stringify(item.id)} is already used on line ${first}`);
    else seen.set(item.id, item.source.line);
    items.push(item);
  }
  if (problems.length > 0) throw new DatasetError(problems);
  const description = raw.document?.description;
  return { name, file: fileName, items, ...(typeof description === 'string' ? { description } : {}) };
}

function checkEntry(
  entry: RawEntry,
  file: string,
  scorers: ScorerRegistry,
  at: (entry: RawEntry, path: readonly (string | number)[], message: string) => void,
): DatasetItem | undefined {
  if (!validateItem(entry.value)) {
    for (const { path, message } of ajvProblems(validateItem.errors)) at(entry, path, message);
    return undefined;
  }
  const value = entry.value as unknown as Record<string, unknown>;
  const messages = value.messages as ChatMessage[] | undefined;
  if ((messages === undefined) === (value.prompt === undefined)) {
    at(entry, [], 'needs exactly one of messages (chat) and prompt (completion)');
    return undefined;
  }
  if (messages && !messages.some((m) => m.role === 'user')) {
    at(entry, ['messages'], 'needs a user message');
    return undefined;
  }
  const scorer = (value.scorer as ScorerSpec | undefined) ?? DEFAULT_SCORER;
  const scorerProblems = scorers.validate(scorer, value.expected);
  for (const problem of scorerProblems) at(entry, problem.field.split('.'), problem.message);
  if (scorerProblems.length > 0) return undefined;

  const item: DatasetItem = {
    ...(value as Omit<DatasetItem, 'scorer' | 'weight' | 'tags' | 'source'>),
    scorer,
    weight: typeof value.weight === 'number' ? value.weight : 1,
    tags: (value.tags as string[] | undefined) ?? [],
    source: { file, line: entry.lineOf([]) },
  };
  if (item.answer !== undefined) {
    const result = scorers.score(item, item.answer);
    if (result.score < 1) at(entry, ['answer'], `scores ${result.score.toFixed(2)}, not 1: ${result.reason}`);
  }
  if (item.wrong !== undefined) {
    const result = scorers.score(item, item.wrong);
    if (result.score >= FAILED_BELOW) {
      at(entry, ['wrong'], `scores ${result.score.toFixed(2)}, should fail (below ${FAILED_BELOW})`);
    }
  }
  return item;
}

function ajvProblems(
  errors: ErrorObject[] | null | undefined,
): Array<{ path: (string | number)[]; message: string }> {
  return (errors ?? []).map((error) => {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
    const params = error.params as {
      missingProperty?: string;
      additionalProperty?: string;
      allowedValues?: unknown[];
    };
    if (params.missingProperty) return { path: [...path, params.missingProperty], message: 'is required' };
    if (params.additionalProperty) {
      return { path: [...path, params.additionalProperty], message: 'is not a known field' };
    }
    if (params.allowedValues) return { path, message: `must be one of ${params.allowedValues.join(', ')}` };
    if (error.keyword === 'pattern' && path.at(-1) !== 'id' && path.at(-2) !== 'tags') {
      return { path, message: 'must be a non-blank text' };
    }
    return { path, message: error.message ?? 'is invalid' };
  });
}

function nameFromFile(fileName: string): string {
  return basename(fileName, extname(fileName));
}

/** Reads and validates one dataset file (.yaml, .yml, .json or .jsonl). */
export async function loadDataset(path: string, options: ParseOptions = {}): Promise<Dataset> {
  return parseDataset(await readFile(path, 'utf8'), path, options);
}

/** Every dataset file of a folder, by name; problems of all files are reported together. */
export async function loadDatasets(dir: string, options: ParseOptions = {}): Promise<Map<string, Dataset>> {
  const files = (await readdir(dir))
    .filter((file) => (DATASET_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase()))
    .sort();
  const datasets = new Map<string, Dataset>();
  const problems: DatasetProblem[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      const dataset = await loadDataset(path, options);
      const other = datasets.get(dataset.name);
      if (other) {
        problems.push({
          file: path,
          line: 1,
          field: 'name',
          message: `${dataset.name} is also the name of ${other.file}`,
        });
      } else datasets.set(dataset.name, dataset);
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new DatasetError(problems);
  return datasets;
}

// The default dataset sits beside this file in a source checkout; a build in dist/ looks in the package's source copy.
const DEFAULT_DATASET_CANDIDATES = [
  new URL('./datasets/default.yaml', import.meta.url),
  new URL('../../../metrics-provider/quality/datasets/default.yaml', import.meta.url),
];
let defaultCache: Dataset | undefined;

/** The shipped dataset `default`: ~40 items scored without a judge model. */
export function defaultDataset(): Dataset {
  if (defaultCache) return defaultCache;
  for (const url of DEFAULT_DATASET_CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch {
      continue;
    }
    defaultCache = parseDataset(text, 'default.yaml');
    return defaultCache;
  }
  throw new Error('the default quality dataset (datasets/default.yaml) is missing from this installation');
}
