// `vllm-canary analyze` as a real process against a scripted provider on 127.0.0.1: printed lines and exit codes
// (0 Successful, 1 Failed/Error or usage error, 2 Inconclusive).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startScriptedProvider,
  type Answer,
  type ScriptedProvider,
} from '../integration/analysis-runner/scripted-provider.js';

const TEMPLATE = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: latency
spec:
  args:
    - name: provider-url
    - name: model
  metrics:
    - name: latency
      interval: 1m
      count: 2
      successCondition: result == "pass"
      failureCondition: result == "fail"
      provider:
        web:
          url: "{{args.provider-url}}/api/v1/checks/latency?model={{args.model}}&canary=abc"
          jsonPath: "{$.verdict}"
`;

let provider: ScriptedProvider;
let templateFile: string;

beforeAll(async () => {
  provider = await startScriptedProvider();
  templateFile = join(mkdtempSync(join(tmpdir(), 'vllm-canary-analyze-')), 'latency.yaml');
  writeFileSync(templateFile, TEMPLATE);
});
afterAll(async () => {
  await provider?.close();
});

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/vllm-canary.js', 'analyze', ...args],
      { timeout: 140_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function analyze(answers: readonly Answer[], extra: readonly string[] = []): Promise<Outcome> {
  provider.script(answers);
  return cli([
    '--template',
    templateFile,
    '--arg',
    'model=llama-3-8b',
    '--provider',
    provider.url,
    '--time-scale',
    '600',
    ...extra,
  ]);
}

// Each run starts a fresh process through tsx, which takes seconds on shared, busy machines.
describe('vllm-canary analyze', { timeout: 150_000 }, () => {
  it('when every measurement passes then it prints them and exits 0', async () => {
    const { code, stdout } = await analyze(['pass']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('analysis started (time scale 600x): latency (2 x 1m0s)');
    expect(
      lines.filter((l) => /latency\s+Successful\s+value="pass"\s+reason: #\d p95 e2e latency/.test(l)),
    ).toHaveLength(2);
    expect(lines.at(-1)).toBe('AnalysisRun Successful; exit code 0');
  });

  it('when a measurement fails then it exits 1 with the message Argo would show', async () => {
    const { code, stdout } = await analyze(['pass', 'fail']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/latency\s+Failed\s+value="fail"\s+reason: #2 p95 e2e latency: canary 1\.42s/);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'AnalysisRun Failed: Metric "latency" assessed Failed due to failed (1) > failureLimit (0); exit code 1',
    );
  });

  it('when a measurement is inconclusive then it exits 2 (the Rollout would pause)', async () => {
    const { code, stdout } = await analyze(['inconclusive']);
    expect(code).toBe(2);
    expect(stdout).toContain(
      'AnalysisRun Inconclusive: Metric "latency" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)',
    );
  });

  it('when the provider keeps answering 502 then five errors 10 s apart and exit 1', async () => {
    const { code, stdout } = await analyze(['error-502']);
    expect(code).toBe(1);
    expect(
      stdout.match(
        /latency\s+Error\s+error: received non 2xx response code: 502\s+reason: Prometheus did not answer/g,
      ),
    ).toHaveLength(5);
    expect(stdout).toContain('consecutiveErrors (5) > consecutiveErrorLimit (4)');
  });

  it('when the provider answers 2xx that is not JSON then a loud warning and exit 0 (v1.9.1 quirk)', async () => {
    const { code, stdout, stderr } = await analyze(['not-json']);
    expect(code).toBe(0);
    expect(stdout).toContain('NOT JUDGED: non-JSON 2xx body, Argo v1.9.1 quirk');
    expect(stderr).toMatch(
      /^WARNING: metric latency: the provider answered 2xx with a body that is not JSON/m,
    );
  });

  it('when --output json then one JSON event per line, ending with the result', async () => {
    const { code, stdout } = await analyze(['pass'], ['--output', 'json']);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; result?: { phase: string } });
    expect(events.map((e) => e.type)).toEqual([
      'started',
      'measurement',
      'measurement',
      'metric',
      'finished',
    ]);
    expect(events.at(-1)?.result?.phase).toBe('Successful');
  });

  // The usage errors and --help need no provider: they run side by side.
  it.concurrent('when a required arg is missing then exit 1 and the message names it', async () => {
    const { code, stderr } = await cli(['--template', templateFile, '--provider', provider.url]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'vllm-canary: args.model was not resolved: the template requires --arg model=<value>\n',
    );
  });

  it.concurrent.each([
    [
      ['--time-scale', '0'],
      "option '--time-scale <factor>' argument '0' is invalid. must be a number above 0",
    ],
    [
      ['--output', 'yaml'],
      "option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are text, json.",
    ],
    [['--arg', 'model'], "option '-a, --arg <name=value>' argument 'model' is invalid. must be name=value"],
    [
      ['--provider', 'localhost:8080'],
      "option '--provider <url>' argument 'localhost:8080' is invalid. must be an http:// or https:// URL",
    ],
  ])('when %j then exit 1 naming the flag and what is allowed', async (flags, message) => {
    const { code, stderr } = await cli(['--template', templateFile, ...flags]);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });

  it.concurrent('when --help then the examples and the exit codes are shown', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('Exit codes: 0 Successful');
    expect(stdout).toContain('--time-scale <factor>');
  });
});
