// `vllm-canary emulator`: runs one emulated vLLM server until SIGINT/SIGTERM. A thin layer over emulator/.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { destination, pino } from 'pino';
import {
  loadAnswerBookFile,
  loadProfileFile,
  startEmulator,
  type PartialProfile,
} from '../../emulator/index.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  # a stable model on port 8000, current vLLM metric names
  $ vllm-canary emulator --port 8000 --model llama-3-8b --generation current

  # a degraded canary, 100 times faster than real time, answering reference prompts from a book
  $ vllm-canary emulator --port 8001 --model llama-3-8b --generation legacy \\
      --profile canary-profile.yaml --seed 7 --time-scale 100 --answers answer-book.json

Every flag can also be set with an environment variable, e.g. VLLM_CANARY_EMULATOR_PORT=8000.
The profile file (JSON or YAML) may set any subset of the profile; GET/PATCH /admin/profile reads and changes it at run time.`;

interface EmulatorFlags {
  readonly port: number;
  readonly host: string;
  readonly model: string;
  readonly generation: 'current' | 'legacy';
  readonly profile?: string;
  readonly seed?: number;
  readonly timeScale: number;
  readonly answers?: string;
  readonly logLevel: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('--port must be an integer from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(seed))
    throw new InvalidArgumentError('--seed must be an integer.');
  return seed;
}

function parseTimeScale(value: string): number {
  const scale = Number(value);
  if (value.trim() === '' || !Number.isFinite(scale) || scale <= 0) {
    throw new InvalidArgumentError(
      '--time-scale must be a number > 0 (100 = a hundred times faster than real time).',
    );
  }
  return scale;
}

function parseModel(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('--model must be a non-empty served model name.');
  return value;
}

function existingFile(flag: string): (value: string) => string {
  return (value) => {
    if (!existsSync(value))
      throw new InvalidArgumentError(`${flag} must name an existing file; ${value} does not exist.`);
    return value;
  };
}

const env = (name: string): string => `VLLM_CANARY_EMULATOR_${name}`;

/** Resolves when the process is asked to stop. */
function stopRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function run(flags: EmulatorFlags): Promise<void> {
  // Logs go to stderr as JSON, so stdout carries only the URL a script waits for.
  const logger = pino({ name: 'vllm-emulator', level: flags.logLevel }, destination(2));
  const profile: PartialProfile | undefined = flags.profile
    ? await loadProfileFile(flags.profile)
    : undefined;
  const answerBook = flags.answers ? await loadAnswerBookFile(flags.answers) : undefined;
  const stopping = stopRequested();
  const emulator = await startEmulator({
    model: flags.model,
    generation: flags.generation,
    port: flags.port,
    host: flags.host,
    timeScale: flags.timeScale,
    logger,
    ...(profile ? { profile } : {}),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(answerBook ? { answerBook } : {}),
  });
  process.stdout.write(`${emulator.url}\n`);
  const signal = await stopping;
  logger.info({ signal, requests: emulator.requestCount() }, 'shutting down');
  await emulator.close();
}

export const registerEmulatorCommand: RegisterCommand = (program: Command) => {
  program
    .command('emulator')
    .description(
      'Run an emulated vLLM OpenAI-compatible server with vLLM metrics and a configurable behaviour profile',
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0 = any free port)')
        .argParser(parsePort)
        .default(8000)
        .env(env('PORT')),
    )
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1').env(env('HOST')))
    .addOption(
      new Option('--model <name>', 'served model name (the model_name label)')
        .argParser(parseModel)
        .makeOptionMandatory()
        .env(env('MODEL')),
    )
    .addOption(
      new Option('--generation <generation>', 'vLLM metric names to expose')
        .choices(['current', 'legacy'])
        .default('current')
        .env(env('GENERATION')),
    )
    .addOption(
      new Option('--profile <file>', 'behaviour profile, JSON or YAML')
        .argParser(existingFile('--profile'))
        .env(env('PROFILE')),
    )
    .addOption(new Option('--seed <n>', 'seed of every random draw').argParser(parseSeed).env(env('SEED')))
    .addOption(
      new Option('--time-scale <x>', 'divide every real wait by x; metrics keep the unscaled figures')
        .argParser(parseTimeScale)
        .default(1)
        .env(env('TIME_SCALE')),
    )
    .addOption(
      new Option('--answers <file>', 'answer book JSON: {"items":[{"prompt","correct","wrong"}]}')
        .argParser(existingFile('--answers'))
        .env(env('ANSWERS')),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info')
        .env(env('LOG_LEVEL')),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: EmulatorFlags) => run(flags));
};
