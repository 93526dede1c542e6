#!/usr/bin/env node
// Entry point of the `vllm-canary` command (also `kubectl vllm-canary` through the kubectl-vllm_canary name).
// An installed package runs the compiled code in dist/; a source checkout runs the TypeScript directly through tsx,
// so `npx vllm-canary ...` works right after `npm ci` with no build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'plugin', 'main.ts');
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, 'dist', 'plugin', 'main.js')).href);
}
