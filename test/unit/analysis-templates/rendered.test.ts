// The committed rendered/ files are exactly what the definitions render (regenerate with `npm run render`), they
// validate against the upstream ClusterAnalysisTemplate/AnalysisTemplate schemas, and lint passes them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { GENERATED_HEADER, renderedFiles, renderTemplates } from '../../../analysis-templates/index.js';
import { lint } from '../../../rollouts/index.js';
import { REPO_ROOT, schemaProblems, upstreamSchemas } from '../rollouts/upstream-schemas.js';

const RENDERED = join(REPO_ROOT, 'analysis-templates', 'rendered');
const committed = ['cluster', 'namespaced'].flatMap((folder) =>
  readdirSync(join(RENDERED, folder)).map((f) => `${folder}/${f}`),
);

describe('analysis-templates/rendered', () => {
  it('when listed then it holds exactly the files the library renders', () => {
    expect(committed.sort()).toEqual([...renderedFiles().keys()].sort());
  });

  it.each([...renderedFiles()].map(([path, text]) => [path, text] as const))(
    'when %s is compared with a fresh render then it is identical (run npm run render)',
    (path, text) => {
      expect(readFileSync(join(RENDERED, path), 'utf8')).toBe(text);
      expect(text.startsWith(`# ${GENERATED_HEADER}`)).toBe(true);
    },
  );

  it('when every committed file is validated then each object matches the upstream schema', () => {
    const objects = committed.flatMap((p) =>
      parseAllDocuments(readFileSync(join(RENDERED, p), 'utf8')).map(
        (d) => d.toJS() as Record<string, unknown>,
      ),
    );
    expect(objects).toHaveLength(committed.length);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('when lint reads every committed file then it finds nothing', () => {
    const result = lint.lintFiles(
      committed.map((p) => join(RENDERED, p)),
      { schemas: upstreamSchemas() },
    );
    expect(result.findings.map(lint.formatFinding)).toEqual([]);
  });

  it.each([
    ['bearer auth, cluster scope', { auth: { mode: 'bearer' } }],
    [
      'bearer auth with a custom secret, namespaced',
      { auth: { mode: 'bearer', secretName: 's', secretKey: 'k' }, clusterScope: false, namespace: 'llm' },
    ],
    [
      'a custom provider URL',
      { providerUrl: 'https://vllm-canary.example.com', prometheusUrl: 'http://thanos:9090' },
    ],
  ] as const)('when rendered with %s then every template still validates', (_label, options) => {
    expect(schemaProblems(renderTemplates(options as never) as never)).toEqual([]);
  });
});
