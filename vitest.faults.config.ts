import { defineConfig } from 'vitest/config';

/**
 * The fault and fuzz suite (`npm run test:faults`, src/**\/*.faults.test.ts): generated bad requests
 * and messages against the real web host, workers killed mid-run, broken history files and datasets.
 * Seeded, so every run sends the same inputs; the unit config leaves these files out.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.faults.test.ts'],
    globalSetup: ['src/host/faults/summary.global-setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
