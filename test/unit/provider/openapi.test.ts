import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../../metrics-provider/api/openapi.js';

describe('OpenAPI document', () => {
  it('when the code builds the document then the committed openapi.json is identical (run npm run openapi)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../metrics-provider/api/openapi.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  it('when a client is generated then every check parameter has a type and a constraint or enum', () => {
    for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths)) {
      if (!path.startsWith('/api/v1/checks/')) continue;
      const params = (
        item as unknown as { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }
      ).get.parameters;
      expect(params.length).toBeGreaterThan(10);
      for (const p of params) {
        expect(p.schema.type, `${path} ${p.name}`).toBeDefined();
        const constrained =
          ['pattern', 'enum', 'minimum', 'exclusiveMinimum', 'maximum'].some((k) => k in p.schema) ||
          p.schema.type === 'boolean';
        expect(constrained, `${path} ${p.name}`).toBe(true);
      }
    }
  });

  it('when its schemas are compiled then they are valid JSON Schema', () => {
    const ajv = new Ajv({ strict: false });
    for (const [name, schema] of Object.entries(OPENAPI_DOCUMENT.components.schemas)) {
      if (JSON.stringify(schema).includes('$ref')) continue;
      expect(() => ajv.compile(schema as object), name).not.toThrow();
    }
  });
});
