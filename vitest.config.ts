import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests live next to the code they test (src/**\/*.test.ts). They use the real
 * MNIST files, the real tfjs backend and real child processes, so they get a generous timeout; each
 * file runs in its own forked process (tfjs and the dataset cache are per process).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // *.shell.test.ts need the build: `npm run test:shell` (vitest.shell.config.ts) runs them after it.
    // *.faults.test.ts: the fault and fuzz suite, `npm run test:faults` (vitest.faults.config.ts).
    exclude: [
      'e2e/**',
      'bench/**',
      'node_modules/**',
      'out/**',
      'dist/**',
      'src/**/*.shell.test.ts',
      'src/**/*.faults.test.ts',
    ],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
