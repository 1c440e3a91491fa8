/** tfjs backends in the order the engine tries them (docs/ARCHITECTURE.md, Backends). */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
