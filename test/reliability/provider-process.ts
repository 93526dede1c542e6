// `vllm-canary serve` as a separate process, the way it runs in a pod: started from a YAML configuration file,
// its log collected, killed (SIGKILL, as when a node dies or the OOM killer strikes) and started again on the
// same port. The fault suite, the security suite and the provider benchmark use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitFor } from '../harness/index.js';

export interface ProviderProcessOptions {
  /** The configuration file's content (server.port is set here). */
  readonly config: Record<string, unknown>;
  /** Where the log goes: kept in memory (tests read it) or a file (benchmarks, so reading it costs nothing). */
  readonly log?: 'memory' | { readonly file: string };
  readonly env?: NodeJS.ProcessEnv;
  /** Extra flags for node itself (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /**
   * Which code runs: the TypeScript sources through tsx (the default, what a checkout runs), or the compiled
   * dist/ that `npm run build` writes and the image ships (benchmarks measure what production runs).
   */
  readonly code?: 'source' | 'compiled';
}

export interface ProviderProcess {
  readonly url: string;
  readonly port: number;
  readonly configFile: string;
  /** Everything the process wrote to stdout and stderr so far (memory log only). */
  readonly log: string;
  readonly pid: number | undefined;
  /** Starts it (again) and waits until /healthz answers. */
  start(): Promise<void>;
  /** Kills it with the signal and waits for the exit; resolves with the exit code (null after a signal). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const ENTRY = { source: 'bin/vllm-canary.js', compiled: 'dist/plugin/main.js' } as const;

export async function providerProcess(options: ProviderProcessOptions): Promise<ProviderProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-provider-'));
  const configFile = join(dir, 'provider.yaml');
  const config = structuredClone(options.config) as { server?: Record<string, unknown> };
  config.server = { ...config.server, host: '127.0.0.1', port };
  writeFileSync(configFile, stringify(config));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';

  return {
    url,
    port,
    configFile,
    get log() {
      return log;
    },
    get pid() {
      return child?.pid;
    },
    async start() {
      const logFile = options.log !== undefined && options.log !== 'memory' ? options.log.file : undefined;
      const fd = logFile === undefined ? undefined : openSync(logFile, 'a');
      child = spawn(
        process.execPath,
        [...(options.nodeFlags ?? []), ENTRY[options.code ?? 'source'], 'serve', '--config', configFile],
        {
          stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
          env: { ...process.env, ...options.env },
        },
      );
      if (fd !== undefined) closeSync(fd);
      child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const started = child;
      // An exit ends the wait at once (waitFor would keep polling a probe that throws until its timeout).
      let onExit: (() => void) | undefined;
      const exited = new Promise<never>((_resolve, reject) => {
        onExit = () => reject(new Error(`the provider exited with ${started.exitCode}: ${log.slice(-500)}`));
        started.once('exit', onExit);
      });
      try {
        await Promise.race([
          exited,
          waitFor(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, {
            timeoutMs: 30_000,
            description: `vllm-canary serve on ${url}`,
          }),
        ]);
      } finally {
        started.off('exit', onExit!);
      }
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null)
        return running?.exitCode ?? null;
      const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
      running.kill(signal);
      return exited;
    },
  };
}
