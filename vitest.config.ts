import { defineConfig } from 'vitest/config';

// Integration suites start real processes (Prometheus, emulators, the provider); they share two cores,
// so files run with limited parallelism and generous timeouts instead of timing assertions.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
