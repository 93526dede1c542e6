// Starts and stops one emulated vLLM server: builds its registry, clock, engine and HTTP server from the options.
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { VLLM_GENERATIONS, type VllmGeneration } from '../metrics-provider/catalog/index.js';
import { AnswerIndex, validateAnswerBook, type AnswerBook } from './answers.js';
import { VirtualClock } from './clock.js';
import { Engine } from './engine.js';
import { EmulatorMetrics } from './metrics.js';
import { defaultProfile, mergeProfile, type PartialProfile, type Profile } from './profile.js';
import { createApp } from './server.js';

export interface EmulatorOptions {
  /** The served model name: the only one /v1/models lists and requests may name; the `model_name` label. */
  readonly model: string;
  /** Which metric names to expose: "current" (vLLM 0.11+) or "legacy" (up to 0.10). */
  readonly generation: VllmGeneration;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Merged over defaultProfile. */
  readonly profile?: PartialProfile;
  /** Seed of every draw; the same seed and profile give the same request i. @default 1 */
  readonly seed?: number;
  /** Real waits are divided by this factor; metrics keep the virtual figures. @default 1 */
  readonly timeScale?: number;
  /** Reference prompts with correct and wrong answers. */
  readonly answerBook?: AnswerBook;
  readonly logger?: Logger;
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:8000 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly model: string;
  readonly generation: VllmGeneration;
  /** The profile in force. */
  profile(): Profile;
  /** Merges a patch into the profile (as PATCH /admin/profile does) and returns the result; throws ProfileError. */
  setProfile(patch: PartialProfile): Profile;
  /** Generation requests received so far. */
  requestCount(): number;
  /** Aborts requests in flight, closes connections and stops listening. */
  close(): Promise<void>;
}

function checkOptions(options: EmulatorOptions): void {
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw new Error('emulator option model must be a non-empty string');
  }
  if (!VLLM_GENERATIONS.includes(options.generation)) {
    throw new Error(
      `emulator option generation must be one of ${VLLM_GENERATIONS.join(', ')}, got ${String(options.generation)}`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`emulator option port must be an integer from 0 to 65535, got ${port}`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new Error(`emulator option seed must be an integer, got ${options.seed}`);
  }
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const timeScale = options.timeScale ?? 1;
  const clock = new VirtualClock(timeScale);
  let profile = mergeProfile(defaultProfile, options.profile ?? {});
  const answers = new AnswerIndex(options.answerBook ? validateAnswerBook(options.answerBook) : undefined);
  const registry = new Registry();
  const metrics = new EmulatorMetrics(registry, options.model, options.generation);
  const engine = new Engine({
    profile: () => profile,
    seed,
    clock,
    metrics,
    answers,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const setProfile = (patch: unknown): Profile => {
    profile = mergeProfile(profile, patch);
    engine.profileChanged();
    options.logger?.info({ profile }, 'profile changed');
    return profile;
  };
  const shutdown = new AbortController();
  // Every request in flight listens for shutdown; hundreds at once are normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const app = createApp({
    model: options.model,
    engine,
    registry,
    metrics,
    timeScale,
    profile: () => profile,
    setProfile,
    shutdown: shutdown.signal,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger?.info(
    { url, model: options.model, generation: options.generation, seed, timeScale },
    'emulator listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    model: options.model,
    generation: options.generation,
    profile: () => profile,
    setProfile,
    requestCount: () => engine.requestCount(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        shutdown.abort(new Error('emulator closing'));
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
