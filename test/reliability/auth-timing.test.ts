// The API token comparison is constant-time by construction: every well-formed bearer header, whatever its length
// or content, is compared with crypto.timingSafeEqual over two SHA-256 digests of equal length, and nothing else
// decides. (A statistical timing test would be flaky; this checks the construction instead.)
import type * as Crypto from 'node:crypto';
import type { Request, Response } from 'express';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

const compared = vi.hoisted(() => ({ calls: [] as [number, number][] }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.calls.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { bearerAuth } = await import('../../metrics-provider/api/auth.js');
const TOKEN = 'the-right-token-0123456789abcdef';

function run(authorization: string | undefined): { passed: boolean; error?: unknown } {
  const middleware = bearerAuth(TOKEN);
  let outcome: { passed: boolean; error?: unknown } = { passed: false };
  const req = { headers: authorization === undefined ? {} : { authorization } } as Request;
  middleware(req, {} as Response, (error?: unknown) => {
    outcome = error === undefined ? { passed: true } : { passed: false, error };
  });
  return outcome;
}

describe('bearer token comparison', () => {
  it.each([
    ['the right token', TOKEN, true],
    ['a token one character short', TOKEN.slice(0, -1), false],
    ['a token one character longer', `${TOKEN}x`, false],
    ['a one-character token', 'x', false],
    ['a 10,000-character token', 'x'.repeat(10_000), false],
    ['the right token with the last character changed', `${TOKEN.slice(0, -1)}0`, false],
  ])(
    'when the header carries %s then the decision comes from timingSafeEqual over two 32-byte digests',
    (_name, token, ok) => {
      compared.calls.length = 0;
      expect(run(`Bearer ${token}`).passed).toBe(ok);
      expect(compared.calls).toEqual([[32, 32]]);
    },
  );

  it('when any bearer token is sent then exactly one equal-length comparison decides, and only the right token passes', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEF0123456789-._~+/='.split('')),
          minLength: 1,
          maxLength: 200,
        }),
        (token) => {
          compared.calls.length = 0;
          expect(run(`Bearer ${token}`).passed).toBe(token === TOKEN);
          expect(compared.calls).toEqual([[32, 32]]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('when the header is missing or not a bearer credential then it is refused without comparing anything', () => {
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', TOKEN]) {
      compared.calls.length = 0;
      const outcome = run(header);
      expect(outcome.passed).toBe(false);
      expect((outcome.error as { code?: string }).code).toBe('unauthorized');
      expect(compared.calls).toEqual([]);
    }
  });
});
