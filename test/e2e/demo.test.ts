// `vllm-canary demo` as a person runs it (a real process, real HTTP between emulators, provider and runner), once
// per scenario at a high time scale: each ends with the decision a correct analysis makes, and writes its report.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CASES = [
  [
    'slow',
    /^aborted at step 1 because latency failed: p95 e2e latency: canary [\d.]+m?s vs stable [\d.]+m?s/,
  ],
  ['errors', /^aborted at step 1 because error-ratio failed: error ratio: canary [\d.]+% vs stable [\d.]+%/],
  [
    'kv-pressure',
    /^aborted at step 1 because kv-cache failed: peak KV-cache usage: canary 9\d(\.\d+)?% vs stable/,
  ],
  [
    'bad-answers',
    // Stable answers 95% right: a sample of a few prompts can score it a plain 1.
    /^aborted at step 1 because quality failed: quality on default: canary 0\.\d+ vs stable (0\.\d+|1),/,
  ],
  ['healthy', /^promoted: every analysis passed at 10%, 30%, 60%; the canary now takes 100%$/],
] as const;

function runDemo(scenario: string, report: string): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/vllm-canary.js', 'demo', '--scenario', scenario, '--time-scale', '30', '--report', report],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => resolve({ code, lines: out.trim().split('\n') }));
  });
}

describe('vllm-canary demo', () => {
  it.each(CASES)(
    'when the scenario is %s then the last line is the right decision',
    async (scenario, expected) => {
      const report = join(mkdtempSync(join(tmpdir(), 'vllm-canary-demo-')), 'report.html');
      const { code, lines } = await runDemo(scenario, report);
      expect(code, lines.join('\n')).toBe(0);
      expect(lines.at(-1), lines.join('\n')).toMatch(expected);
      // What a person sees while it runs: the steps and each measurement with both figures.
      expect(lines).toContain('step 1/4: canary weight 10%');
      expect(lines.some((l) => /step 1 (pass|fail|inconclusive) +p95 e2e latency: canary/.test(l))).toBe(
        true,
      );
      expect(existsSync(report)).toBe(true);
      const html = readFileSync(report, 'utf8');
      expect(html).toContain('<svg');
      expect(html).toContain(`scenario <code>${scenario}</code>`);
      expect(html).toContain(
        lines
          .at(-1)!
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/"/g, '&quot;')
          .replace(/'/g, '&apos;'),
      );
    },
    240_000,
  );
});
