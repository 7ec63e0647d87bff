import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Two test processes share the two cores: each runs wasm on one thread (the notebooks, run one
    // at a time, use one per core). Set DL_WASM_THREADS to override.
    env: { DL_WASM_THREADS: process.env.DL_WASM_THREADS ?? '1' },
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
