// ajv errors -> problems with a path inside the object and a message that says what is wrong.
import type { ErrorObject } from 'ajv';

export interface SchemaProblem {
  /** JSON path segments inside the object. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** ajv errors -> problems with a path and a message that says what is wrong. */
export function toProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const params = e.params as Record<string, unknown>;
    let problem: SchemaProblem;
    switch (e.keyword) {
      case 'additionalProperties':
        problem = {
          path: [...path, String(params.additionalProperty)],
          message: 'is not a field of this kind (unknown field)',
        };
        break;
      case 'required':
        problem = { path: [...path, String(params.missingProperty)], message: 'is required' };
        break;
      case 'x-kubernetes-int-or-string':
        problem = { path, message: 'must be an integer or a string' };
        break;
      case 'enum':
        problem = { path, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
        break;
      default:
        problem = { path, message: e.message ?? 'is invalid' };
    }
    const key = `${problem.path.join('.')}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
