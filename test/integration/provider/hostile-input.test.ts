// Hostile input in every parameter of every check gets a 400 that names the field, and nothing a request carries
// reaches Prometheus: every query the provider sent is recorded and held against the values it may contain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_LABEL_PATTERN, MODEL_PATTERN } from '../../../metrics-provider/checks/params.js';
import { CHECK_PARAMETERS, COMMON_PARAMETERS } from '../../harness/check-parameters.js';
import { checkPath, MODEL, NAMESPACE, startFixture, type Fixture } from './fixture.js';

const HOSTILE = [
  '"',
  "'",
  '}',
  '{',
  '"} or vector(1)',
  '} or vector(1) or {a="',
  'a\nb',
  'a\\"b',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'Infinity',
  '0x10',
  'NaN',
  'true; drop',
  '$(reboot)',
  '..',
  '%00',
];

/** String parameters and what a legitimate value looks like: a hostile value that happens to fit is not hostile. */
const LEGITIMATE: Record<string, RegExp> = {
  namespace: new RegExp(DNS_LABEL_PATTERN),
  canary: new RegExp(DNS_LABEL_PATTERN),
  stable: new RegExp(DNS_LABEL_PATTERN),
  dataset: new RegExp(DNS_LABEL_PATTERN),
  model: new RegExp(MODEL_PATTERN),
};

/** The only values a query may carry: the fixture's own namespace, model and hashes, and the provider's names. */
const SAFE_LITERAL = /"((?:[^"\\]|\\.)*)"/g;
const ALLOWED_VALUES = new Set([NAMESPACE, MODEL, 'stable', 'healthy', '5xx', 'abort|error']);

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture([
    { hash: 'stable', requests: 60 },
    { hash: 'healthy', requests: 60 },
  ]);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe('hostile input', () => {
  const cases = Object.entries(CHECK_PARAMETERS).flatMap(([check, own]) =>
    [...COMMON_PARAMETERS, ...own].flatMap((param) =>
      HOSTILE.filter((value) => !LEGITIMATE[param]?.test(value)).map(
        (value) => [check, param, value] as const,
      ),
    ),
  );

  it(`when any of ${HOSTILE.length} hostile values is put in any parameter of any check then 400 names the field`, async () => {
    let asked = 0;
    for (const [check, param, value] of cases) {
      const path = checkPath(check, 'healthy', { [param]: value });
      const { status, body } = await fixture.get(path);
      asked++;
      // The 5000-character value makes the URL itself too long: refused before parsing, also as JSON.
      if (status === 414) {
        expect((body.error as { code: string }).code).toBe('invalid_request');
        continue;
      }
      expect(
        status,
        `${check} ${param}=${JSON.stringify(value.slice(0, 30))}: ${JSON.stringify(body).slice(0, 300)}`,
      ).toBe(400);
      const error = body.error as { code: string; problems: { field: string }[] };
      expect(error.code).toBe('invalid_request');
      expect(error.problems.map((p) => p.field)).toContain(param);
    }
    expect(asked).toBe(cases.length);
  });

  it('when wrong types arrive in the composite body then 400 names the field', async () => {
    const base = { namespace: NAMESPACE, model: MODEL, canary: 'healthy', stable: 'stable' };
    for (const [body, field] of [
      [{ ...base, checks: [{ check: 'latency', quantile: 'high' }] }, 'checks[0].quantile'],
      [{ ...base, checks: [{ check: 'latency', canary: ['a'] }] }, 'checks[0].canary'],
      [{ ...base, namespace: 42, checks: [{ check: 'queue' }] }, 'namespace'],
      [{ ...base, checks: 'latency' }, 'checks'],
      [{ ...base, checks: [{ check: 'latency" or vector(1)' }] }, 'checks.0.check'],
      [{ ...base, checks: [] }, 'checks'],
      [{ ...base, checks: [{ check: 'queue' }], extra: 1 }, 'extra'],
    ] as const) {
      const response = await fixture.post('/api/v1/analysis', body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const problems = (response.body.error as { problems: { field: string }[] }).problems.map(
        (p) => p.field,
      );
      expect(problems).toContain(field);
    }
  });

  it('when a body is not JSON or too large then 400 or 413, as JSON', async () => {
    const notJson = await fetch(`${fixture.provider.url}/api/v1/analysis`, {
      method: 'POST',
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const huge = await fetch(`${fixture.provider.url}/api/v1/analysis`, {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(200_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('when all of that is over then every query sent to Prometheus holds only known, escaped values', async () => {
    // A legitimate request, so there is something to audit.
    expect((await fixture.get(checkPath('latency', 'healthy'))).status).toBe(200);
    expect(fixture.queries.length).toBeGreaterThan(0);
    for (const query of fixture.queries) {
      expect(query).not.toMatch(/vector\(1\)|\n|reboot|drop/);
      for (const [, literal] of query.matchAll(SAFE_LITERAL)) {
        const names = literal!.split('|').map((n) => n.replace(/\\\\/g, '\\'));
        const metricNames = names.every((n) => /^[a-z_:\\]+$/.test(n));
        expect(ALLOWED_VALUES.has(literal!) || metricNames, `${literal} in ${query}`).toBe(true);
      }
    }
  });
});
