import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../emulator/index.js';
import { postJson, sendMany } from './http-client.js';
import { sampleSum, scrape } from './exposition.js';

const MODEL = 'behaviour-model';
const started: RunningEmulator[] = [];

async function emulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const running = await startEmulator({ model: MODEL, generation: 'current', timeScale: 1000, ...options });
  started.push(running);
  return running;
}

const completion = (server: RunningEmulator, prompt = 'hello', maxTokens = 2) =>
  postJson(`${server.url}/v1/completions`, { model: MODEL, prompt, max_tokens: maxTokens });

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** A profile with fixed (sigma 0) phase times, so durations can be checked exactly. */
const FIXED = {
  queueWait: { median: 0.001, sigma: 0 },
  ttft: { median: 2, sigma: 0 },
  interTokenLatency: { median: 0.05, sigma: 0 },
  loadFactor: 0,
};

describe('the admin profile endpoint', () => {
  it('when the profile is patched then GET shows the merge and the next requests follow it', async () => {
    const server = await emulator();
    const patch = await fetch(`${server.url}/admin/profile`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, ttft: { median: 0.3 } }),
    });
    expect(patch.status).toBe(200);
    const profile = (await (await fetch(`${server.url}/admin/profile`)).json()) as {
      errorRate: number;
      ttft: unknown;
    };
    expect(profile.errorRate).toBe(1);
    expect(profile.ttft).toEqual({ median: 0.3, sigma: 0.4 });
    expect(server.profile().errorRate).toBe(1);

    const failed = await completion(server);
    expect(failed).toMatchObject({
      status: 500,
      body: { object: 'error', type: 'InternalServerError', code: 500 },
    });
    server.setProfile({ errorRate: 0 });
    expect((await completion(server)).status).toBe(200);
  });

  it.each([
    { when: 'a field is unknown', body: { errorRat: 0.1 }, problem: 'profile.errorRat is not a known field' },
    {
      when: 'a value is out of range',
      body: { kvCache: { base: 2 } },
      problem: 'profile.kvCache.base must be <= 1',
    },
  ])(
    'when $when then PATCH answers 400 naming the field and keeps the profile',
    async ({ body, problem }) => {
      const server = await emulator();
      const before = server.profile();
      const answer = await fetch(`${server.url}/admin/profile`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({
        object: 'error',
        type: 'BadRequestError',
        problems: [problem],
      });
      expect(server.profile()).toEqual(before);
    },
  );
});

describe('faults', () => {
  it('when errorRate is 0.2 then the share of 500s over 400 requests is within 4 binomial sigmas and counted as 5xx', async () => {
    const server = await emulator({ seed: 17, profile: { errorRate: 0.2 } });
    const statuses = await sendMany(
      400,
      8,
      async (index) => (await completion(server, `prompt ${index}`)).status,
    );
    const errors = statuses.filter((status) => status === 500).length;
    expect(statuses.filter((status) => status !== 500 && status !== 200)).toEqual([]);
    expect(Math.abs(errors - 80)).toBeLessThan(4 * Math.sqrt(400 * 0.2 * 0.8));
    const { exposition } = await scrape(server.url);
    expect(sampleSum(exposition, 'http_requests_total', { status: '5xx' })).toBe(errors);
    expect(sampleSum(exposition, 'vllm:request_success_total')).toBe(400 - errors);
  });

  it('when abortRate is 1 then every request ends with finish_reason abort and is counted as abort', async () => {
    const server = await emulator({ profile: { abortRate: 1 } });
    const answer = await completion(server, 'hello', 20);
    expect(answer).toMatchObject({ status: 200, body: { choices: [{ finish_reason: 'abort' }] } });
    const { exposition } = await scrape(server.url);
    expect(sampleSum(exposition, 'vllm:request_success_total', { finished_reason: 'abort' })).toBe(1);
  });

  it('when the profile hangs then a client deadline expires, the request counts as aborted, and close is quick', async () => {
    const server = await emulator({ timeScale: 1, profile: { hang: true, stallSeconds: 30 } });
    const request = fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'hello' }),
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow();
    await expect
      .poll(async () =>
        sampleSum((await scrape(server.url)).exposition, 'vllm:request_success_total', {
          finished_reason: 'abort',
        }),
      )
      .toBe(1);
    const hanging = completion(server);
    const closing = performance.now();
    await server.close();
    expect(performance.now() - closing).toBeLessThan(2000);
    await expect(hanging).rejects.toThrow();
  });

  it('when KV usage is full and preemption certain at full then each request is preempted once', async () => {
    const server = await emulator({
      profile: { kvCache: { base: 1, perRunning: 0 }, preemption: { probabilityAtFull: 1 } },
    });
    for (let index = 0; index < 3; index += 1) await completion(server, 'hello', 6);
    const { exposition } = await scrape(server.url);
    expect(sampleSum(exposition, 'vllm:num_preemptions_total')).toBe(3);
    expect(sampleSum(exposition, 'vllm:kv_cache_usage_perc')).toBe(1);
  });
});

describe('time', () => {
  it.each([
    { timeScale: 10, minMs: 150, maxMs: 1500 },
    { timeScale: 100, minMs: 15, maxMs: 600 },
  ])(
    'when timeScale is $timeScale then a 2 s prefill takes about 2000/$timeScale ms and the histograms keep 2 s',
    async ({ timeScale, minMs, maxMs }) => {
      const server = await emulator({ timeScale, profile: FIXED });
      const start = performance.now();
      expect((await completion(server, 'hello', 1)).status).toBe(200);
      const elapsed = performance.now() - start;
      expect(elapsed).toBeGreaterThan(minMs);
      expect(elapsed).toBeLessThan(maxMs);
      const { exposition } = await scrape(server.url);
      expect(sampleSum(exposition, 'vllm:request_prefill_time_seconds_sum')).toBeCloseTo(2, 9);
      expect(sampleSum(exposition, 'vllm:time_to_first_token_seconds_bucket', { le: '1' })).toBe(0);
      expect(sampleSum(exposition, 'vllm:time_to_first_token_seconds_bucket', { le: '2.5' })).toBe(1);
    },
  );

  it('when two requests meet maxRunning 1 then the second waits about one request time in the queue', async () => {
    const server = await emulator({ timeScale: 10, profile: { ...FIXED, maxRunning: 1 } });
    const first = completion(server, 'a', 1);
    const second = completion(server, 'b', 1);
    await expect
      .poll(async () => sampleSum((await scrape(server.url)).exposition, 'vllm:num_requests_waiting'), {
        interval: 20,
      })
      .toBe(1);
    await Promise.all([first, second]);
    const { exposition } = await scrape(server.url);
    const queued = sampleSum(exposition, 'vllm:request_queue_time_seconds_sum') - 2 * 0.001;
    // The second request waits for the first one's 2 s prefill; timer jitter is multiplied by the time scale.
    expect(queued).toBeGreaterThan(1.8);
    expect(queued).toBeLessThan(4);
    expect(sampleSum(exposition, 'vllm:num_requests_running')).toBe(0);
  });

  it('when load rises then the inter-token latency grows by 1 + k * running', async () => {
    const server = await emulator({
      timeScale: 10,
      profile: { ...FIXED, loadFactor: 1 },
    });
    await Promise.all([completion(server, 'a', 2), completion(server, 'b', 2)]);
    const { exposition } = await scrape(server.url);
    // One request ran alone (gap 0.05 s), the other beside it (gap 0.1 s).
    expect(sampleSum(exposition, 'vllm:inter_token_latency_seconds_sum')).toBeCloseTo(0.15, 9);
  });
});

describe('determinism', () => {
  it('when two emulators share a seed then they give the same answers to the same requests', async () => {
    const a = await emulator({ seed: 99 });
    const b = await emulator({ seed: 99 });
    const c = await emulator({ seed: 100 });
    const texts = async (server: RunningEmulator): Promise<string[]> => {
      const answers: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const answer = await completion(server, 'tell me', 30);
        answers.push((answer.body as { choices: { text: string }[] }).choices[0]?.text ?? '');
      }
      return answers;
    };
    const first = await texts(a);
    expect(await texts(b)).toEqual(first);
    expect(await texts(c)).not.toEqual(first);
    expect(a.requestCount()).toBe(5);
  });
});
