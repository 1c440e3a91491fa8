import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../shared/api';
import { linePrinted, startRedis, stopped } from '../engine/queue/redis-server.test-helpers';
import { dispatchLabCall, type HostDialogs } from '../services/lab-rpc';
import { LabService } from '../services/lab-service';
import { endedEvent, serviceInFolder, waitFor } from '../services/lab-service.test-helpers';
import { SettingsStore } from '../services/settings';

/*
 * The app's trial queue setting (issue #20), as both hosts use it: the lab's service with its real
 * worker processes sends a search to a real Redis, where a real `lab worker` process trains it.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const noDialogs: HostDialogs = { chooseDatasetDir: async (typed) => typed, saveFile: async () => ({ saved: false }) };

describe('a search sent to a trial queue by the lab’s setting', () => {
  let dir: string;
  let service: LabService;
  let events: RunEvent[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-search-queue-'));
    ({ service, events } = serviceInFolder(dir));
  });
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  const ended = (runId: string) => endedEvent(events, runId);

  it('goes to the queue of the settings, remembered; other runs train here', async () => {
    const redis = await startRedis();
    const args = ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--queue', redis.url, '--name', 'far'];
    const worker = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await expect(dispatchLabCall(service, noDialogs, 'setTrialQueue', ['http://x'])).rejects.toThrow(
        /a redis:\/\/ or rediss:\/\/ URL is needed/,
      );
      expect(service.setTrialQueue(redis.url).trialQueue).toBe(redis.url);
      expect(SettingsStore.inFolder(dir).get().trialQueue).toBe(redis.url);
      await linePrinted(worker, /takes search trials/);
      const search = service.startRun({ experiment: 'hyperparameter-search', params: { trials: 2, epochs: 1 } });
      const plain = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 5, hidden: [10] } });
      await waitFor(() => ended(search.runId) !== undefined && ended(plain.runId) !== undefined, 'both runs to end');
      const trials = (service.getRun(search.runId).summary as { trials: { worker?: string }[] }).trials;
      expect(trials.map((t) => t.worker)).toEqual(['far', 'far']);
      expect(service.getRun(plain.runId).status).toBe('completed');
      expect(service.setTrialQueue(null).trialQueue).toBeNull();
    } finally {
      await stopped(worker);
      await redis.stop();
    }
  });

  it('does not start when its queue cannot be reached, and says why', async () => {
    service.setTrialQueue('redis://127.0.0.1:1');
    const { runId } = service.startRun({ experiment: 'hyperparameter-search', params: { trials: 2, epochs: 1 } });
    await waitFor(() => ended(runId) !== undefined, 'the refusal');
    const failure = ended(runId)!.event;
    expect(failure.type === 'failed' && failure.error).toMatch(/cannot reach Redis at redis:\/\/127.0.0.1:1/);
  });
});
