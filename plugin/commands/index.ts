// Every command of the CLI, one module each; a command registers itself on the program it is given.
import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerDemo } from './demo.js';
import { registerEmulatorCommand } from './emulator.js';
import { registerGenerate } from './generate.js';
import { registerLint } from './lint.js';
import { registerServe } from './serve.js';

export type RegisterCommand = (program: Command) => void;

export const commands: readonly RegisterCommand[] = [
  registerEmulatorCommand,
  registerServe,
  registerAnalyze,
  registerGenerate,
  registerLint,
  registerDemo,
];
