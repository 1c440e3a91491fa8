/**
 * Module resolution hook (registered by register.test-helpers.mjs): `electron` and `electron/main`
 * resolve to the Electron double, whatever imports them.
 */
let doubleUrl;

export function initialize(data) {
  doubleUrl = data.doubleUrl;
}

export async function resolve(specifier, context, nextResolve) {
  // Resolved on down the chain (tsx's resolver marks the TypeScript file for its loader).
  return nextResolve(specifier === 'electron' || specifier === 'electron/main' ? doubleUrl : specifier, context);
}
