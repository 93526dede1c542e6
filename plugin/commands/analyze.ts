// `vllm-canary analyze`: runs AnalysisTemplates locally against a live web metric provider, with Argo Rollouts'
// semantics, printing each measurement as it comes and ending with the phase Argo would reach (exit 0 Successful,
// 1 Failed or Error, 2 Inconclusive).
import { CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import {
  exitCodeOf,
  formatDuration,
  loadTemplates,
  startAnalysis,
  type AnalysisEvent,
  type AnalysisTemplate,
} from '../../analysis-runner/index.js';
import type { RegisterCommand } from './index.js';

interface AnalyzeFlags {
  readonly template: string[];
  readonly arg?: Record<string, string>;
  readonly provider?: string;
  readonly dryRun?: string[];
  readonly timeScale: number;
  readonly maxMeasurements?: number;
  readonly output: 'text' | 'json';
}

const EXAMPLES = `
Examples:
  # a library template against a provider running on this machine
  $ vllm-canary analyze --template vllm-latency --provider http://127.0.0.1:8080 \\
      --arg namespace=llm --arg model=llama-3-8b --arg canary-hash=6d4f8b9c7 --arg stable-hash=5c7d9f8b6

  # a template file, 60 times faster than real time (a 1m interval takes a second)
  $ vllm-canary analyze -t my-template.yaml -a provider-url=http://127.0.0.1:8080 -a model=m --time-scale 60

  # a metric with only an interval runs until Ctrl-C or --max-measurements; JSON lines for machines
  $ vllm-canary analyze -t watch.yaml --max-measurements 3 --output json

  # a metric in dry-run: measured and shown, but it cannot fail the run (a regular expression, as in Argo)
  $ vllm-canary analyze -t vllm-canary-health --dry-run '.*' --provider http://127.0.0.1:8080 -a ...

--template takes a YAML file (AnalysisTemplate or ClusterAnalysisTemplate, several documents allowed) or the name
of a library template. --provider URL is short for --arg provider-url=URL. Args from Secrets or the Rollout
(valueFrom) are not read locally: pass them with --arg.

Exit codes: 0 Successful (the Rollout would go on), 1 Failed or Error (it would abort; also bad flags or
templates), 2 Inconclusive (it would pause for a person).`;

export const registerAnalyze: RegisterCommand = (program: Command) => {
  program
    .command('analyze')
    .description('Run AnalysisTemplates locally against a web metric provider, with Argo Rollouts semantics')
    .requiredOption(
      '-t, --template <file|name>',
      'template YAML file or library template name (repeatable)',
      collect,
    )
    .option('-a, --arg <name=value>', 'template arg (repeatable)', keyValue)
    .option('--provider <url>', 'provider base URL: short for --arg provider-url=<url>', url)
    .option('--dry-run <regex>', 'run metrics whose name matches in dry-run mode (repeatable)', collect)
    .option(
      '--time-scale <factor>',
      'run analysis time this many times faster (intervals divided)',
      positive,
      1,
    )
    .option(
      '--max-measurements <n>',
      'stop after n measurements of each metric that has an interval but no count',
      positiveInteger,
    )
    .addOption(
      new Option('-o, --output <format>', 'text lines, or JSON lines for machines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: AnalyzeFlags) => {
      const templates: AnalysisTemplate[] = flags.template.flatMap((t) => loadTemplates(t));
      const args = { ...(flags.arg ?? {}) };
      if (flags.provider !== undefined) {
        const hasArg = templates.some((t) => (t.spec.args ?? []).some((a) => a.name === 'provider-url'));
        if (!hasArg)
          throw new Error(
            '--provider: the template has no provider-url arg; put the URL in the template or use --arg',
          );
        args['provider-url'] = flags.provider;
      }
      const handle = startAnalysis({
        templates,
        args,
        dryRun: (flags.dryRun ?? []).map((metricName) => ({ metricName })),
        timeScale: flags.timeScale,
        ...(flags.maxMeasurements !== undefined ? { maxMeasurements: flags.maxMeasurements } : {}),
      });
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        process.stderr.write(
          'stopping: no new measurements (as spec.terminate: true); Ctrl-C again to quit now\n',
        );
        handle.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // A closed pipe (`| head`) stops the run instead of crashing it.
      process.stdout.on('error', () => handle.stop());
      const print = flags.output === 'json' ? printJson : printText(flags.timeScale);
      try {
        for await (const event of handle.events) print(event);
        const result = await handle.result;
        const code = exitCodeOf(result.phase);
        if (code !== 0) throw new CommanderError(code, `vllm-canary.analyze.${result.phase}`, '');
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
};

function printJson(event: AnalysisEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function printText(timeScale: number): (event: AnalysisEvent) => void {
  let start = 0;
  const offset = (at: Date) =>
    `+${formatDuration(Math.round((at.getTime() - start) / 100) * 100)}`.padEnd(10) + ' ';
  return (event) => {
    switch (event.type) {
      case 'started':
        start = event.at.getTime();
        process.stdout.write(
          `analysis started${timeScale !== 1 ? ` (time scale ${timeScale}x)` : ''}: ` +
            event.metrics
              .map(
                (m) =>
                  `${m.name}${m.dryRun ? ' [dry-run]' : ''} (${m.count ?? 'until stopped'} x ${m.interval ?? 'once'}${m.initialDelay ? `, after ${m.initialDelay}` : ''})`,
              )
              .join(', ') +
            '\n',
        );
        return;
      case 'warning':
        process.stderr.write(`WARNING: ${event.message}\n`);
        return;
      case 'measurement': {
        const m = event.measurement;
        const parts = [
          offset(event.at),
          `${event.metric}${event.dryRun ? ' [dry-run]' : ''}`.padEnd(16),
          m.phase.padEnd(12),
          m.value !== undefined ? `value=${m.value}` : '',
          m.message !== undefined ? `error: ${m.message}` : '',
          m.reason !== undefined ? `reason: ${m.reason}` : '',
          m.nonJsonQuirk === true ? '(NOT JUDGED: non-JSON 2xx body, Argo v1.9.1 quirk)' : '',
        ];
        process.stdout.write(`${parts.filter((p) => p !== '').join('  ')}\n`);
        return;
      }
      case 'metric':
        process.stdout.write(
          `${offset(event.at)}metric ${event.metric}${event.dryRun ? ' [dry-run]' : ''}: ${event.phase}${event.message !== undefined ? ` (${event.message})` : ''}\n`,
        );
        return;
      case 'finished': {
        const r = event.result;
        process.stdout.write(
          `AnalysisRun ${r.phase}${r.message !== undefined ? `: ${r.message}` : ''}${r.stopped ? ' (stopped)' : ''}; exit code ${exitCodeOf(r.phase)}\n`,
        );
      }
    }
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('must be name=value, e.g. --arg model=llama-3-8b');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function url(value: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(value))
    throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0, e.g. 60');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}
