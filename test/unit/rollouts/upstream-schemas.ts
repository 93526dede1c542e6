// The schemas tests validate against: the upstream CRDs in ../shared/crds beside the repository when that folder
// exists (the project's machines), else the packaged extract, and the test output says which.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../../../rollouts/index.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED_CRDS = join(REPO_ROOT, '..', 'shared', 'crds');
export const HAS_SHARED_CRDS = existsSync(SHARED_CRDS);

let cached: lint.SchemaSet | undefined;

/** Upstream CRD schemas when ../shared/crds exists, the packaged ones otherwise (said once on stderr). */
export function upstreamSchemas(): lint.SchemaSet {
  if (cached !== undefined) return cached;
  if (HAS_SHARED_CRDS) cached = lint.crdFolderSchemaSet(SHARED_CRDS);
  else {
    process.stderr.write(
      '../shared/crds is absent beside the repository: validating against the packaged CRD schemas instead\n',
    );
    cached = lint.packagedSchemaSet();
  }
  return cached;
}

/** Every schema problem of the objects, as readable lines (empty when all are valid). */
export function schemaProblems(
  objects: readonly Record<string, unknown>[],
  schemas = upstreamSchemas(),
): string[] {
  return objects.flatMap((o) => {
    const problems = schemas.validate(o);
    const name = `${String(o.kind)}/${String((o.metadata as { name?: string } | undefined)?.name)}`;
    if (problems === undefined) return [`${name}: no schema`];
    return problems.map((p) => `${name}: ${p.path.join('.')}: ${p.message}`);
  });
}
