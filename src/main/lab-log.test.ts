import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../shared/api';
import { HistoryStore } from '../services/history';
import { LabService, type WorkerProcess } from '../services/lab-service';
import { MNIST_DIR, endedEvent, waitFor } from '../services/lab-service.test-helpers';
import { forkNodeWorker } from '../services/node-worker';
import { RotatingLog } from '../services/rotating-log';
import { SettingsStore } from '../services/settings';
import { logRuns, loggedWorker } from './lab-log';

/** The log Electron's main keeps, fed by a real service and real worker processes. */
describe('lab log', () => {
  let dir: string;
  let service: LabService;
  let log: RotatingLog;
  const events: RunEvent[] = [];
  const workers: WorkerProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-lab-log-'));
    log = new RotatingLog(path.join(dir, 'logs'), 'main');
    service = new LabService({
      history: new HistoryStore(path.join(dir, 'runs')),
      settings: SettingsStore.inFolder(dir),
      launchWorker: () => {
        const worker = loggedWorker(forkNodeWorker(), log);
        workers.push(worker);
        return worker;
      },
      defaultDataDir: MNIST_DIR,
      host: 'electron',
      version: 'test',
    });
    service.onRunEvent((event) => events.push(event));
    logRuns(service, log);
  });
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs worker launches, run starts and ends, and a killed worker with its reason', async () => {
    const done = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 5, optimizers: ['SGD'] } });
    await waitFor(() => endedEvent(events, done.runId) !== undefined, 'the short run to end');
    const long = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 50_000 } });
    await waitFor(() => events.some((e) => e.runId === long.runId && e.event.type === 'progress'), 'progress');
    expect(readFileSync(log.file, 'utf8')).toContain('training worker launched');
    for (const worker of workers) {
      if (worker.pid !== undefined) process.kill(worker.pid, 'SIGKILL');
    }
    await waitFor(() => endedEvent(events, long.runId) !== undefined, 'the killed run to fail');
    const text = readFileSync(log.file, 'utf8');
    expect(text).toMatch(new RegExp(`run ${done.runId} started: optimizers-mnist on \\w+`));
    expect(text).toContain(`run ${done.runId} ended completed`);
    expect(text).toMatch(new RegExp(`run ${long.runId} failed: the training worker stopped: killed by SIGKILL`));
    expect(text).toMatch(/training worker \d+ exited: killed by SIGKILL/);
  }, 120_000);
});
