import { defineConfig } from '@playwright/test';

/**
 * One set of specs (e2e/*.spec.ts), two projects: `web` drives the real renderer, services and worker
 * through the web host in Debian's Chromium; `electron` launches the built app and skips, saying why,
 * where no Electron binary exists. `npm run test:e2e` builds first.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  projects: [
    { name: 'web', metadata: { host: 'web' } },
    { name: 'electron', metadata: { host: 'electron' } },
  ],
});
