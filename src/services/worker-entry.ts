import { fileURLToPath } from 'node:url';

/**
 * Where the training worker's entry is: from source (tsx) the TypeScript file, run with tsx's loader;
 * in the electron-vite bundle, worker.js beside the bundle that asks.
 */
export function workerEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { file: fileURLToPath(new URL('../worker/index.ts', here)), execArgv: ['--import', 'tsx'] };
  }
  return { file: fileURLToPath(new URL('./worker.js', here)), execArgv: [] };
}
