import { defineConfig } from 'vitest/config';

/**
 * The built Electron main process (out/main/index.js) under plain Node with a double of Electron
 * (src/main/electron-double/): `npm run test:shell`, after `npm run build`. The unit run leaves these
 * files out (vitest.config.ts): they need the build.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.shell.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
