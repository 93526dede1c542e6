// `vllm-canary demo` (also `npm start`): the whole canary loop on one machine, no cluster needed.
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { runDemo, SCENARIO_NAMES, type ScenarioName } from '../../demo/index.js';
import type { RegisterCommand } from './index.js';

interface DemoFlags {
  readonly scenario: ScenarioName;
  readonly timeScale: number;
  readonly steps: readonly number[];
  readonly seed: number;
  readonly report: string;
  readonly onInconclusive: 'abort' | 'promote';
}

export const registerDemo: RegisterCommand = (program: Command) => {
  program
    .command('demo')
    .description(
      'Run a canary rollout of a vLLM model end to end on this machine: emulators, traffic, provider, analysis',
    )
    .addOption(
      new Option('--scenario <name>', 'what is wrong with the canary')
        .choices([...SCENARIO_NAMES])
        .default('slow')
        .env('VLLM_CANARY_DEMO_SCENARIO'),
    )
    .addOption(
      new Option('--time-scale <x>', 'analysis runs this much faster than real time (1 = real minutes)')
        .argParser(timeScale)
        .default(12)
        .env('VLLM_CANARY_DEMO_TIME_SCALE'),
    )
    .option(
      '--steps <weights>',
      'canary weights of the steps, rising, comma-separated',
      steps,
      [10, 30, 60, 100],
    )
    .option('--seed <n>', 'seed of every random draw', seed, 1)
    .option('--report <file>', 'where to write the HTML report', 'vllm-canary-demo.html')
    .addOption(
      new Option(
        '--on-inconclusive <action>',
        'an inconclusive analysis waits for a person; with none here, do this',
      )
        .choices(['abort', 'promote'])
        .default('abort'),
    )
    .addHelpText(
      'after',
      `
Scenarios:
  slow          the canary is 40% slower (p95 1.4 s vs 1.0 s): under a fixed 2 s threshold, caught by the judge
  errors        the canary answers 3% of requests with HTTP 500
  kv-pressure   the canary runs its KV cache at 97% and preempts requests
  bad-answers   the canary answers reference prompts right 60% of the time (stable 95%)
  healthy       the canary is identical to stable: promoted

Examples:
  $ npm start
  $ vllm-canary demo --scenario healthy
  $ vllm-canary demo --scenario bad-answers --time-scale 30 --report /tmp/report.html
  $ vllm-canary demo --time-scale 1          # real time: every analysis takes its full 5 minutes

The last line starts with "promoted" or "aborted at step N because ..."; the exit code is 0 either way.`,
    )
    .action(async (flags: DemoFlags) => {
      const result = await runDemo({
        scenario: flags.scenario,
        timeScale: flags.timeScale,
        steps: flags.steps,
        seed: flags.seed,
        onInconclusive: flags.onInconclusive,
        reportPath: resolve(flags.report),
        out: process.stdout,
      });
      process.stdout.write(`report: ${result.reportPath ?? ''}\n${result.line}\n`);
    });
};

function timeScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 60) throw new InvalidArgumentError('must be a number from 1 to 60');
  return n;
}

function steps(value: string): number[] {
  const weights = value.split(',').map((w) => Number(w.trim()));
  const rising = weights.every((w, i) => i === 0 || w > weights[i - 1]!);
  if (weights.length === 0 || weights.some((w) => !Number.isInteger(w) || w < 1 || w > 100) || !rising) {
    throw new InvalidArgumentError('must be rising whole percentages from 1 to 100, e.g. 10,30,60,100');
  }
  return weights;
}

function seed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}
