import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MNIST_DIR, endedEvent, waitFor } from './lab-service.test-helpers';
import type { RunEvent } from '../shared/api';
import { HistoryStore } from './history';
import { LabService, type WorkerProcess, clampConcurrentRuns } from './lab-service';
import { forkNodeWorker } from './node-worker';
import { SettingsStore } from './settings';

/** Real MNIST, where the hosts find it (see lab-service.test.ts). */
const SHORT = { experiment: 'optimizers-mnist', params: { iterations: 10, optimizers: ['SGD'] } };
const LONG = { experiment: 'optimizers-mnist', params: { iterations: 50_000, optimizers: ['SGD'] } };
const SEARCH = {
  experiment: 'hyperparameter-search',
  params: { trials: 4, epochs: 2, trainSize: 100, batchSize: 100, hidden: [30, 20] },
};

describe('clampConcurrentRuns', () => {
  it('clamps the setting to 1..cores', () => {
    expect(clampConcurrentRuns(undefined, 8)).toBe(1);
    expect(clampConcurrentRuns(0, 8)).toBe(1);
    expect(clampConcurrentRuns(3.7, 8)).toBe(3);
    expect(clampConcurrentRuns(64, 2)).toBe(2);
    expect(clampConcurrentRuns(Number.NaN, 2)).toBe(1);
  });

  it('takes the setting when the host passes no option', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'dlfs-queue-setting-'));
    try {
      const settings = SettingsStore.inFolder(folder);
      settings.update({ maxConcurrentRuns: 2 });
      const service = new LabService({
        history: new HistoryStore(path.join(folder, 'runs')),
        settings,
        launchWorker: () => {
          throw new Error('no worker in this test');
        },
        defaultDataDir: MNIST_DIR,
        host: 'web',
        version: 'test',
      });
      expect(service.maxConcurrentRuns).toBe(clampConcurrentRuns(2));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** The run queue with real worker processes: at most maxConcurrentRuns train, the rest wait in order. */
describe('LabService run queue', () => {
  let dir: string;
  let service: LabService;
  let events: RunEvent[];
  let workers: WorkerProcess[];
  /** The threads each run was started with, from the start messages sent to the real workers. */
  let threadsOf: Map<string, number>;
  /** The most runs training at once, and the most slots taken, as the service counted them at each event. */
  let maxTraining: number;
  let maxSlots: number;

  const setUp = (maxConcurrentRuns: number, cores = 2) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-queue-'));
    events = [];
    workers = [];
    threadsOf = new Map();
    maxTraining = 0;
    maxSlots = 0;
    service = new LabService({
      history: new HistoryStore(path.join(dir, 'runs')),
      settings: SettingsStore.inFolder(dir),
      launchWorker: () => {
        const worker = forkNodeWorker();
        workers.push(worker);
        return {
          ...worker,
          send: (message) => {
            if (message.type === 'start') threadsOf.set(message.runId, message.threads);
            worker.send(message);
          },
        };
      },
      defaultDataDir: MNIST_DIR,
      host: 'web',
      version: 'test',
      maxConcurrentRuns,
      cores,
    });
    service.onRunEvent((event) => {
      events.push(event);
      maxTraining = Math.max(maxTraining, service.trainingCount());
      maxSlots = Math.max(maxSlots, service.slotsInUse());
    });
  };
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const ended = (runId: string) => endedEvent(events, runId);
  const places = (runId: string) =>
    events.flatMap((e) => (e.runId === runId && e.event.type === 'queued' ? [e.event.place] : []));
  const startedOrder = () => events.filter((e) => e.event.type === 'started').map((e) => e.runId);

  it('with N = 1, four runs started at once train one at a time, in order', async () => {
    setUp(1);
    const ids = [0, 1, 2, 3].map(() => service.startRun(SHORT).runId);
    expect(service.queuedRuns()).toEqual(ids.slice(1));
    expect(ids.slice(1).map((id) => places(id)[0])).toEqual([1, 2, 3]);
    const listed = new Map(service.listRuns().map((e) => [e.id, e.status]));
    expect(ids.slice(1).map((id) => listed.get(id))).toEqual(['queued', 'queued', 'queued']);

    await waitFor(() => ids.every((id) => ended(id) !== undefined), 'the four runs to end');
    expect(ids.map((id) => service.getRun(id).status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(ids.map((id) => service.getRun(id).series[0]!.y.length)).toEqual([10, 10, 10, 10]);
    expect(startedOrder()).toEqual(ids);
    // Each run started only after the one before it ended.
    for (let i = 1; i < ids.length; i++) {
      const previousEnd = events.indexOf(ended(ids[i - 1]!)!);
      const start = events.findIndex((e) => e.runId === ids[i] && e.event.type === 'started');
      expect(start).toBeGreaterThan(previousEnd);
    }
    // The last queued run moved up as the others left: 3, then 2, then 1.
    expect(places(ids[3]!)).toEqual([3, 2, 1]);
    expect(maxTraining).toBe(1);
    expect(workers.length).toBeLessThanOrEqual(2);
    expect(service.queuedRuns()).toEqual([]);
  }, 120_000);

  it('cancelling a queued run leaves a cancelled record; the others still complete', async () => {
    setUp(1);
    const [a, b, c] = [0, 1, 2].map(() => service.startRun(SHORT).runId) as [string, string, string];
    expect(() => service.deleteRun(b)).toThrow(/cancel it first/);
    service.cancelRun(b);
    const cancelled = ended(b)!.event;
    expect(cancelled.type === 'failed' && cancelled.record?.status).toBe('cancelled');
    const record = service.getRun(b);
    expect(record.status).toBe('cancelled');
    expect(record.error).toMatch(/before it started/);
    expect(record.series).toEqual([]);
    expect(places(c)).toEqual([2, 1]);

    await waitFor(() => ended(a) !== undefined && ended(c) !== undefined, 'the other runs to end');
    expect(service.getRun(a).status).toBe('completed');
    expect(service.getRun(c).status).toBe('completed');
    expect(startedOrder()).toEqual([a, c]);
    expect(maxTraining).toBe(1);
  }, 120_000);

  it('closing the lab saves queued runs as cancelled, never started', async () => {
    setUp(1);
    const first = service.startRun(LONG).runId;
    const queued = [0, 1].map(() => service.startRun(SHORT).runId);
    await waitFor(() => events.some((e) => e.runId === first && e.event.type === 'progress'), 'progress');
    service.shutdown();
    expect(service.getRun(first).status).toBe('cancelled');
    for (const id of queued) {
      const record = service.getRun(id);
      expect(record.status).toBe('cancelled');
      expect(record.error).toMatch(/closed while the run was queued/);
    }
    expect(service.queuedRuns()).toEqual([]);
    // A lab opened again over the same history finds nothing left queued or running.
    expect(new HistoryStore(path.join(dir, 'runs')).list().map((e) => e.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  }, 120_000);

  it('with N = 2, two runs train at once and the third waits', async () => {
    setUp(2);
    const ids = [0, 1, 2].map(() => service.startRun(SHORT).runId);
    expect(service.queuedRuns()).toEqual([ids[2]]);
    await waitFor(() => ids.every((id) => ended(id) !== undefined), 'the three runs to end');
    expect(ids.map((id) => service.getRun(id).status)).toEqual(['completed', 'completed', 'completed']);
    expect(maxTraining).toBeLessThanOrEqual(2);
    expect(workers.length).toBeLessThanOrEqual(3);
  }, 120_000);

  it('a search takes every slot: with N = 2 it waits for an empty lab, and runs behind it keep their turn', async () => {
    setUp(2);
    const first = service.startRun(SHORT).runId;
    const search = service.startRun(SEARCH).runId;
    const after = service.startRun(SHORT).runId;
    // One slot is free, but the search needs both, and the run behind it does not jump the line.
    expect(service.queuedRuns()).toEqual([search, after]);
    await waitFor(() => [first, search, after].every((id) => ended(id) !== undefined), 'the three runs to end');
    expect([first, search, after].map((id) => service.getRun(id).status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(startedOrder()).toEqual([first, search, after]);
    // The search's trials trained on both slots' threads; a plain run on its one slot's share.
    expect(threadsOf.get(search)).toBe(2);
    expect(threadsOf.get(first)).toBe(1);
    expect(maxSlots).toBeLessThanOrEqual(2);
    const searchStart = events.findIndex((e) => e.runId === search && e.event.type === 'started');
    expect(searchStart).toBeGreaterThan(events.indexOf(ended(first)!));
  }, 120_000);

  it('with N = 1 a search trains alone on every core, as a plain run does', async () => {
    setUp(1);
    const search = service.startRun(SEARCH).runId;
    const plain = service.startRun(SHORT).runId;
    await waitFor(() => ended(search) !== undefined && ended(plain) !== undefined, 'both runs to end');
    expect(threadsOf.get(search)).toBe(2);
    expect(threadsOf.get(plain)).toBe(2);
    expect(maxTraining).toBe(1);
  }, 120_000);

  it('raising the setting starts queued runs at once and is remembered; lowering it keeps running runs', async () => {
    setUp(1);
    const long = service.startRun(LONG).runId;
    const waiting = service.startRun(SHORT).runId;
    expect(service.queuedRuns()).toEqual([waiting]);
    const info = service.setMaxConcurrentRuns(2);
    expect(info.maxConcurrentRuns).toBe(2);
    expect(service.queuedRuns()).toEqual([]);
    expect(SettingsStore.inFolder(dir).get().maxConcurrentRuns).toBe(2);
    await waitFor(() => ended(waiting) !== undefined, 'the run that waited to end');
    expect(service.getRun(waiting).status).toBe('completed');
    // Past the core count it is clamped; lowering it leaves the long run training and queues the next.
    expect(service.setMaxConcurrentRuns(64).maxConcurrentRuns).toBe(2);
    service.setMaxConcurrentRuns(1);
    const next = service.startRun(SHORT).runId;
    expect(service.queuedRuns()).toEqual([next]);
    service.cancelRun(long);
    await waitFor(() => ended(next) !== undefined, 'the next run to end');
    expect(service.getRun(long).status).toBe('cancelled');
    expect(service.getRun(next).status).toBe('completed');
  }, 120_000);
});
