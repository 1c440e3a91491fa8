import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, type BackendName } from '../shared/backends';
import { unpackedPath } from './asar-path';

export { tf };

/** Set DLFS_BACKEND (or pass --backend) to force one backend instead of the first that works. */
export const BACKEND_ENV = 'DLFS_BACKEND';

const requireFromHere = createRequire(import.meta.url);

const registrations: Record<BackendName, () => Promise<void>> = {
  async tensorflow() {
    // tfjs-node is optional: its install downloads libtensorflow, which fails without that network access.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
  },
  async wasm() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmBinaryFolder());
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

/** The .wasm binaries ship inside the npm package; never fetch them. DLFS_WASM_DIR overrides (packaged app). */
export function wasmBinaryFolder(): string {
  const override = process.env.DLFS_WASM_DIR;
  if (override) return override.endsWith(path.sep) ? override : override + path.sep;
  const entry = requireFromHere.resolve('@tensorflow/tfjs-backend-wasm');
  // In the packaged app: the unpacked copy beside app.asar (electron-builder.yml, asarUnpack).
  return path.join(unpackedPath(path.dirname(entry)), path.sep);
}

export interface BackendChoice {
  name: BackendName;
  /** Why each earlier backend was passed over. */
  skipped: { name: BackendName; reason: string }[];
}

let chosen: Promise<BackendChoice> | undefined;

export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`unknown backend "${value}" (allowed: ${BACKEND_NAMES.join(' | ')})`);
}

/**
 * Picks the backend once per process: the forced one (argument or DLFS_BACKEND), else the first of
 * tensorflow -> wasm -> cpu that loads.
 */
export function initBackend(forced?: BackendName): Promise<BackendChoice> {
  chosen ??= chooseBackend(forced ?? envBackend());
  return chosen;
}

function envBackend(): BackendName | undefined {
  const value = process.env[BACKEND_ENV];
  return value ? parseBackendName(value) : undefined;
}

async function chooseBackend(forced: BackendName | undefined): Promise<BackendChoice> {
  const candidates = forced ? [forced] : [...BACKEND_NAMES];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of candidates) {
    try {
      await registrations[name]();
      if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
      await tf.ready();
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: firstLine(error) });
    }
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no tfjs backend could start (${reasons})`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
