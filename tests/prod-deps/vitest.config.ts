import { defineConfig } from 'vitest/config';

/**
 * The production-dependency check (`npm run test:prod-deps`, in `npm test` after the build): the built
 * app in a temporary folder with only its production dependencies, run from there. Not part of
 * `npm run test:unit`: it needs out/ and an `npm ci` (from the npm cache, else the registry).
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
