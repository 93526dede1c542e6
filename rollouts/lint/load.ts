// Reading manifests for lint: every YAML document of every file, kept with its position so a finding can name the
// file and line of the field it is about.
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { startOf } from '../spec-file.js';

export interface LintObject {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly object: Readonly<Record<string, unknown>>;
  /** `line:col` of a path inside the object (the closest existing parent when the path is absent). */
  locate(path: readonly (string | number)[]): { line: number; col: number };
}

export interface LoadProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export interface Loaded {
  readonly objects: LintObject[];
  readonly problems: LoadProblem[];
}

/** Parses YAML text (one or more documents); empty documents are skipped, non-objects are problems. */
export function loadText(file: string, text: string): Loaded {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const objects: LintObject[] = [];
  const problems: LoadProblem[] = [];
  const docs = Array.isArray(documents) ? documents : [];
  if (!Array.isArray(documents)) {
    problems.push({ file, line: 1, col: 1, message: 'is not a YAML stream' });
  }
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = lineCounter.linePos(e.pos[0]);
      problems.push({ file, line: pos.line, col: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      const pos = rangeStart(doc, lineCounter, []);
      problems.push({ file, ...pos, message: 'a document must be a Kubernetes object (a mapping)' });
      return;
    }
    objects.push({
      file,
      index,
      object: value as Record<string, unknown>,
      locate: (path) => rangeStart(doc, lineCounter, path),
    });
  });
  return { objects, problems };
}

export function loadFiles(files: readonly string[]): Loaded {
  const objects: LintObject[] = [];
  const problems: LoadProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file, line: 1, col: 1, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const loaded = loadText(file, text);
    objects.push(...loaded.objects);
    problems.push(...loaded.problems);
  }
  return { objects, problems };
}

function rangeStart(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): { line: number; col: number } {
  return lineCounter.linePos(startOf(doc, path));
}
