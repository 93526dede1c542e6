// Builds the `vllm-canary` command line: one file per command under commands/, each a thin layer over library code.
import { Command, CommanderError } from 'commander';
import { commandsFor, type RegisterCommand } from './commands/index.js';

export function buildProgram(commands: readonly RegisterCommand[]): Command {
  const program = new Command('vllm-canary')
    .description('Safe model rollouts for vLLM on Kubernetes with Argo Rollouts')
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nEnvironment variables prefixed VLLM_CANARY_ override configuration (see each command).\n' +
        'Also runs as a kubectl plugin: kubectl vllm-canary <command>.',
    );
  for (const register of commands) register(program);
  return program;
}

/** Runs the program and turns every failure into a one-line message and exit code 1 (no stack traces). */
export async function runProgram(argv: readonly string[]): Promise<number> {
  try {
    const program = buildProgram(await commandsFor(argv)).exitOverride();
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`vllm-canary: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
