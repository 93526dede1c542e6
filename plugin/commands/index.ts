// Every command of the CLI, one module each; a command registers itself on the program it is given. Modules are
// loaded on demand: a run loads only the command it runs (its imports reach far: the provider, Kubernetes client,
// schemas), which keeps `vllm-canary lint` or `kubectl vllm-canary generate` quick to start.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMAND_LOADERS: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  serve: async () => (await import('./serve.js')).registerServe,
  analyze: async () => (await import('./analyze.js')).registerAnalyze,
  generate: async () => (await import('./generate.js')).registerGenerate,
  lint: async () => (await import('./lint.js')).registerLint,
  demo: async () => (await import('./demo.js')).registerDemo,
  emulator: async () => (await import('./emulator.js')).registerEmulatorCommand,
  status: async () => (await import('./status.js')).registerStatus,
};

/** The commands to register for these arguments: the one named, or all of them (for help and unknown names). */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const named = argv.find((arg) => !arg.startsWith('-'));
  const loader = named === undefined ? undefined : COMMAND_LOADERS[named];
  if (loader !== undefined) return [await loader()];
  return Promise.all(Object.values(COMMAND_LOADERS).map((load) => load()));
}
