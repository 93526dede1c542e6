// The committed examples: each manifests.yaml is what its spec.yaml generates now (regenerate with npm run render),
// every object matches its upstream schema, and lint passes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE_ROUTERS, exampleManifestsPath, renderExample } from '../../../rollouts/examples/examples.js';
import { lint } from '../../../rollouts/index.js';
import { schemaProblems, upstreamSchemas } from './upstream-schemas.js';

describe.each(EXAMPLE_ROUTERS.map((r) => [r]))('rollouts/examples/%s', (router) => {
  const committed = readFileSync(exampleManifestsPath(router), 'utf8');

  it('when regenerated from spec.yaml then it equals the committed manifests.yaml (run npm run render)', () => {
    expect(committed).toBe(renderExample(router));
  });

  it('when validated then every object matches its upstream schema', () => {
    const objects = parseAllDocuments(committed).map((d) => d.toJS() as Record<string, unknown>);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('when linted then nothing is found', () => {
    const result = lint.lintFiles([exampleManifestsPath(router)], { schemas: upstreamSchemas() });
    expect(result.findings.map(lint.formatFinding)).toEqual([]);
    expect(result.objects).toBeGreaterThan(4);
  });
});
