// `vllm-canary serve` as a real process against a real Prometheus: the two flags are enough to start it, the probes
// and /metrics answer, bearer-token auth holds (missing, wrong, right), the token never reaches the log, and
// SIGTERM stops it cleanly; `vllm-canary status` reports on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrometheus, waitFor, type RunningPrometheus } from '../harness/index.js';

const TOKEN = 's3cr3t-token-for-the-test-0123456789';
let prometheus: RunningPrometheus;
let provider: ChildProcess;
let url: string;
let log = '';

beforeAll(async () => {
  prometheus = await startPrometheus({ targets: [] });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'vllm-canary-token-')), 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  provider = spawn(
    process.execPath,
    [
      'bin/vllm-canary.js',
      'serve',
      '--port',
      String(port),
      '--prometheus-url',
      prometheus.url,
      '--token-file',
      tokenFile,
      '--log-level',
      'debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  provider.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  provider.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, {
    timeoutMs: 30_000,
  });
}, 120_000);

afterAll(async () => {
  if (provider.exitCode === null) provider.kill('SIGKILL');
  await prometheus?.stop();
});

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/vllm-canary.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const check = `/api/v1/checks/latency?namespace=llm&model=m&canary=abc&stable=def`;

describe('vllm-canary serve', () => {
  it('when started with --port and --prometheus-url then /readyz says the source answers', async () => {
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      source: 'prometheus',
      detail: 'Prometheus answers queries',
    });
  });

  it.each([
    ['no Authorization header', undefined, 401],
    ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`, 401],
    ['a token of another length', 'Bearer short', 401],
    ['a Basic credential', `Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}`, 401],
    ['the right token', `Bearer ${TOKEN}`, 200],
  ])('when the API is called with %s then it answers %d as JSON', async (_name, authorization, status) => {
    const response = await fetch(`${url}${check}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { verdict?: string; error?: { code: string } };
    if (status === 200) expect(body.verdict).toBe('inconclusive');
    else expect(body.error?.code).toBe('unauthorized');
  });

  it('when probes and /metrics are called without a token then they answer (kubelet and Prometheus carry none)', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /vllm_canary_http_requests_total\{route="\/api\/v1\/checks\/latency",status="401"\} 4/,
    );
    expect(metrics).toMatch(/vllm_canary_verdicts_total\{check="latency",verdict="inconclusive"\} 1/);
  });

  it('when the OpenAPI document is asked for then it is served', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toContain('/api/v1/checks/kv-cache');
  });

  it('when `vllm-canary status` asks it then it reports ready, its source and the verdicts given', async () => {
    const json = await cli(['status', '--provider', url, '--output', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({
      provider: url,
      alive: true,
      ready: true,
      source: 'prometheus',
      detail: 'Prometheus answers queries',
      verdicts: { latency: { inconclusive: 1 } },
    });
    const text = await cli(['status', '--provider', url]);
    expect(text.out).toContain('ready      yes (source prometheus: Prometheus answers queries)');
    expect(text.out).toContain('latency    inconclusive 1');
  });

  it('when `vllm-canary status` asks a provider that is not there then it says so and exits 1', async () => {
    const down = await cli(['status', '--provider', `http://127.0.0.1:${await freePort()}`]);
    expect(down.code).toBe(1);
    expect(down.out).toContain('alive      no');
  });

  it('when SIGTERM arrives then it stops cleanly and the token never appeared in its log', async () => {
    const exited = new Promise<number | null>((resolve) => provider.once('exit', (code) => resolve(code)));
    provider.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toContain('provider stopped');
    expect(log).toContain('"auth":true');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(TOKEN.slice(0, 12));
  });
});
