import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../shared/api';
import { defaultParams } from '../shared/experiments';
import { WASM_HEAP_MAX_BYTES, formatBytes, outOfMemoryMessage } from '../shared/memory-budget';
import { RUN_RECORD_VERSION, type RunRecord } from '../shared/runs';
import type { HostToWorker, WorkerToHost } from '../shared/worker-protocol';
import { HistoryStore } from './history';
import { type HostDialogs, LabCallError, dispatchLabCall } from './lab-rpc';
import { LabService, type WorkerProcess } from './lab-service';
import { SettingsStore } from './settings';

/** The service's memory budget: a run that would not fit is refused at once; one out of memory anyway ends plainly. */

const GIB = 2 ** 30;
const ISSUE_BATCH_NORM = { trainSize: 60000, batchSize: 60000, hidden: Array(16).fill(4096), scales: 64 };

/** A worker the test speaks for: what the service sent it, and a way to answer or to die. */
interface ScriptedWorker extends WorkerProcess {
  sent: HostToWorker[];
  killed: boolean;
  say(message: WorkerToHost): void;
  exit(reason: string): void;
}

function scriptedWorker(): ScriptedWorker {
  const listeners: ((message: unknown) => void)[] = [];
  const exits: ((reason: string) => void)[] = [];
  const worker: ScriptedWorker = {
    sent: [],
    killed: false,
    send: (message) => worker.sent.push(message),
    onMessage: (listener) => listeners.push(listener),
    onExit: (listener) => exits.push(listener),
    kill: () => (worker.killed = true),
    say: (message) => listeners.forEach((listener) => listener(message)),
    exit: (reason) => exits.forEach((listener) => listener(reason)),
  };
  return worker;
}

const dialogs = {} as HostDialogs;

describe('LabService memory budget', () => {
  let dir: string;
  let service: LabService;
  let workers: ScriptedWorker[];
  let events: RunEvent[];

  const setUp = (totalMemory: number, cores = 2) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-memory-'));
    workers = [];
    events = [];
    service = new LabService({
      history: new HistoryStore(path.join(dir, 'runs')),
      settings: SettingsStore.inFolder(dir),
      launchWorker: () => {
        const worker = scriptedWorker();
        workers.push(worker);
        return worker;
      },
      defaultDataDir: dir,
      host: 'web',
      version: 'test',
      cores,
      totalMemory,
    });
    service.onRunEvent((event) => events.push(event));
  };
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const startMessages = () => workers.flatMap((w) => w.sent).filter((m) => m.type === 'start');

  it('tells the renderer the budget: WASM’s limit until the worker names its backend, half the machine', () => {
    setUp(16 * GIB);
    expect(service.info().memory).toEqual({
      backend: null,
      threadHeapBytes: WASM_HEAP_MAX_BYTES,
      totalBytes: 8 * GIB,
    });
    service.warmUp();
    workers[0]!.say({ type: 'ready', backend: 'tensorflow' });
    expect(service.info().memory).toEqual({ backend: 'tensorflow', threadHeapBytes: null, totalBytes: 8 * GIB });
  });

  it("refuses the issue's batch-norm run at once, naming its estimate and what drives it; nothing starts", async () => {
    setUp(64 * GIB);
    const started = Date.now();
    const call = dispatchLabCall(service, dialogs, 'startRun', [
      { experiment: 'batch-norm', params: ISSUE_BATCH_NORM },
    ]);
    await expect(call).rejects.toBeInstanceOf(LabCallError);
    await expect(call).rejects.toThrow(
      /too large for memory: the run needs ≈ [\d.]+ [GT]iB of WASM heap in one worker/,
    );
    await expect(call).rejects.toThrow(/more than the 4 GiB a WASM thread can hold.*batchSize 60000, hidden 16 × 4096/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(startMessages()).toEqual([]);
    expect(service.listRuns()).toEqual([]);
    expect(events).toEqual([]);
  });

  it('on a native backend, the share of the machine is the limit', async () => {
    setUp(1 * GIB);
    service.warmUp();
    workers[0]!.say({ type: 'ready', backend: 'tensorflow' });
    // The book's batch-norm on 2 threads takes more than half of 1 GiB; a short optimizers-mnist does not.
    const refused = dispatchLabCall(service, dialogs, 'startRun', [
      { experiment: 'batch-norm', params: defaultParams('batch-norm') },
    ]);
    await expect(refused).rejects.toThrow(
      new RegExp(`more than the ${formatBytes(0.5 * GIB)} a run may take \\(half of this machine's memory\\)`),
    );
    service.startRun({ experiment: 'optimizer-paths', params: {} });
    expect(startMessages()).toHaveLength(1);
  });

  it('a worker whose run ran out of memory is replaced: the run ends failed with the plain message', () => {
    setUp(64 * GIB);
    const { runId } = service.startRun({ experiment: 'optimizer-paths', params: {} });
    const worker = workers[0]!;
    const startedAt = new Date().toISOString();
    const params = defaultParams('optimizer-paths');
    worker.say({
      type: 'event',
      runId,
      event: { type: 'started', experiment: 'optimizer-paths', backend: 'wasm', params, totalSteps: 30, startedAt },
    });
    const error = outOfMemoryMessage('wasm');
    const record: RunRecord = {
      formatVersion: RUN_RECORD_VERSION,
      experiment: 'optimizer-paths',
      params,
      seed: 1,
      backend: 'wasm',
      status: 'failed',
      startedAt,
      finishedAt: startedAt,
      series: [],
      summary: {},
      error,
    };
    worker.say({ type: 'event', runId, event: { type: 'finished', record } });
    expect(service.getRun(runId)).toMatchObject({ status: 'failed', error });
    expect(worker.killed).toBe(true);
    service.startRun({ experiment: 'optimizer-paths', params: {} });
    expect(workers).toHaveLength(2);
    expect(workers[1]!.sent.some((m) => m.type === 'start')).toBe(true);
  });

  it('a worker the system stopped for memory (Electron: oom) fails its run with the plain message', () => {
    setUp(64 * GIB);
    const { runId } = service.startRun({ experiment: 'optimizer-paths', params: {} });
    workers[0]!.exit('oom (exit code -536870904)');
    const failed = events.find((e) => e.runId === runId && e.event.type === 'failed');
    expect(failed?.event.type).toBe('failed');
    expect(failed?.event.type === 'failed' && failed.event.error).toMatch(/^out of memory: /);
  });
});
