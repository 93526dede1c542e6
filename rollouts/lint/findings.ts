// What lint reports: one finding per mistake, naming the file and line, the object (Kind/name), the field path and
// the fix. Errors make `vllm-canary lint` exit 1; warnings do not.
import type { LintObject } from './load.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** Rule id, e.g. `weights-rise`. */
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** `Kind/name`. */
  readonly object: string;
  /** Field path, e.g. `spec.strategy.canary.steps[2].setWeight`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export type Path = readonly (string | number)[];

export function pathText(path: Path): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`),
    '',
  );
}

export function objectName(o: LintObject): string {
  const metadata = o.object.metadata as { name?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '(unnamed)';
  return `${String(o.object.kind ?? '(no kind)')}/${name}`;
}

export function finding(
  o: LintObject,
  rule: string,
  path: Path,
  message: string,
  fix: string,
  severity: Severity = 'error',
): Finding {
  const pos = o.locate(path);
  return {
    severity,
    rule,
    file: o.file,
    line: pos.line,
    col: pos.col,
    object: objectName(o),
    path: pathText(path),
    message,
    fix,
  };
}

/** `file:line:col: error [rule] Kind/name: path: message. Fix: fix` */
export function formatFinding(f: Finding): string {
  const where = f.path === '' ? '' : `${f.path}: `;
  return `${f.file}:${f.line}:${f.col}: ${f.severity} [${f.rule}] ${f.object}: ${where}${f.message}. Fix: ${f.fix}`;
}
