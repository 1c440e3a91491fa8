import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

/**
 * Three bundles, as in the electron-vite template. The main bundle also carries the training worker
 * (a utility process), the engine's worker-thread entry, the web host and the command line (`node
 * out/main/cli.js`, what the production-dependency check runs): all Electron-free but main's own index
 * (src/main; the services both hosts use, src/services, land in shared chunks), and all emitted side by
 * side in out/main so each finds the others by name.
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          worker: resolve('src/worker/index.ts'),
          'shard-thread': resolve('src/engine/experiments/shard-thread.ts'),
          host: resolve('src/host/index.ts'),
          cli: resolve('src/cli/index.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only electron: the shared call table and zod are bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    build: {
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [vue()],
  },
});
