/**
 * `node --import tsx --import ./src/main/electron-double/register.test-helpers.mjs out/main/index.js`
 * runs the built main process unmodified with the Electron double (electron.test-helpers.ts, loaded
 * through tsx) in place of `electron`.
 */
import { register } from 'node:module';

register('./hooks.test-helpers.mjs', import.meta.url, {
  data: { doubleUrl: new URL('./electron.test-helpers.ts', import.meta.url).href },
});
