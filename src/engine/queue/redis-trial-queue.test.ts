import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultDataDir } from '../data/mnist';
import { runExperiment } from '../runner';
import type { TrialResult } from '../experiments/hyperparameter-search';
import type { RunRecord } from '../../shared/runs';
import { RedisTrialQueue } from './redis-trial-queue';
import { Queue } from 'bullmq';
import { TRIAL_QUEUE_NAME } from '../search/trial-job';
import { type RedisServer, linePrinted, startRedis, stopped } from './redis-server.test-helpers';

/*
 * A search's trials on Redis (BullMQ) trained by `lab worker` processes: the real redis-server, the
 * real command line, real MNIST. Issue #20's check: 20 trials, 2 workers, one SIGKILLed mid-trial,
 * and the same record as the search in-process.
 */

// Trials long enough (about a second or two each) for the kill to land inside one.
const SEARCH = { trials: 20, epochs: 8, trainSize: 1000, seed: 7 };

const repo = fileURLToPath(new URL('../../..', import.meta.url));
let redis: RedisServer;
const workers: ChildProcess[] = [];

function startWorker(url: string, name: string, dataDir?: string): { child: ChildProcess; ready: Promise<string> } {
  const args = ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--queue', url, '--name', name, '--lock-seconds', '3'];
  const child = spawn(process.execPath, [...args, ...(dataDir ? ['--data', dataDir] : [])], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  return { child, ready: linePrinted(child, /takes search trials/) };
}

const seriesValues = (record: RunRecord) => record.series.map((s) => ({ name: s.name, x: s.x, y: s.y }));
const trialsOf = (record: RunRecord) => (record.summary as { trials: TrialResult[] }).trials;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await Promise.all(workers.map(stopped));
  await redis?.stop();
});

describe('a search whose trials go to lab workers on Redis', () => {
  it('records each of 20 trials once, with the in-process values, when a worker is killed mid-trial', async () => {
    const one = startWorker(redis.url, 'worker-1');
    const two = startWorker(redis.url, 'worker-2');
    await Promise.all([one.ready, two.ready]);
    const queue = await RedisTrialQueue.open(redis.url);
    const log: string[] = [];
    let killedTrial: number | undefined;
    let queued: RunRecord;
    try {
      queued = await runExperiment('hyperparameter-search', SEARCH, {
        trialQueue: queue,
        threads: 1,
        onEvent: (event) => {
          if (event.type !== 'progress') return;
          log.push(...event.log);
          const taken = event.log.map((line) => /^trial (\d+) on worker worker-1$/.exec(line)).find(Boolean);
          if (taken && killedTrial === undefined) {
            killedTrial = Number(taken[1]);
            one.child.kill('SIGKILL');
          }
        },
      });
    } finally {
      await queue.close();
      await Promise.all([stopped(one.child), stopped(two.child)]);
    }
    expect(queued.status, queued.error).toBe('completed');
    expect(killedTrial).toBeDefined();
    expect(log).toContain(`trial ${killedTrial} again, on worker worker-2`);

    const inProcess = await runExperiment('hyperparameter-search', SEARCH, { threads: 2 });
    expect(inProcess.status).toBe('completed');
    // Every trial once: two series each, one point per epoch, the same values as in-process.
    expect(queued.series).toHaveLength(2 * SEARCH.trials);
    for (const series of queued.series) expect(series.x).toEqual([...Array(SEARCH.epochs + 1).keys()]);
    expect(seriesValues(queued)).toEqual(seriesValues(inProcess));
    expect(trialsOf(queued).map(({ worker: _, ...t }) => t)).toEqual(trialsOf(inProcess));
    // The summary says which worker trained each trial: the killed one's went to the other.
    expect(trialsOf(queued).find((t) => t.trial === killedTrial)?.worker).toBe('worker-2');
  });

  it('prunes on the queue as in-process: workers get each round’s thresholds', async () => {
    const pruning = { trials: 14, epochs: 4, trainSize: 200, lrMin: 1e-5, lrMax: 0.5, pruning: 'median', seed: 3 };
    const worker = startWorker(redis.url, 'pruner');
    await worker.ready;
    const queue = await RedisTrialQueue.open(redis.url);
    try {
      const queued = await runExperiment('hyperparameter-search', pruning, { trialQueue: queue, threads: 1 });
      const inProcess = await runExperiment('hyperparameter-search', pruning, { threads: 1 });
      expect(queued.summary.pruned).toBeGreaterThan(0);
      expect(seriesValues(queued)).toEqual(seriesValues(inProcess));
      expect(trialsOf(queued).map(({ worker: _, ...t }) => t)).toEqual(trialsOf(inProcess));
    } finally {
      await queue.close();
      await stopped(worker.child);
    }
  });

  it('fails the search with the reason when a worker has other images than the searcher', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'dlfs-other-dataset-'));
    try {
      const mnist = defaultDataDir();
      for (const file of readdirSync(mnist)) copyFileSync(path.join(mnist, file), path.join(other, file));
      // One training label changed: the same format, another dataset.
      const labels = readdirSync(other).find((f) => f.startsWith('train-labels'))!;
      const bytes = readFileSync(path.join(other, labels));
      bytes[8] = (bytes[8]! + 1) % 10;
      writeFileSync(path.join(other, labels), bytes);
      const stranger = startWorker(redis.url, 'stranger', other);
      await stranger.ready;
      const queue = await RedisTrialQueue.open(redis.url);
      const record = await runExperiment(
        'hyperparameter-search',
        { ...SEARCH, trials: 1, epochs: 1 },
        { trialQueue: queue, threads: 1 },
      ).finally(() => queue.close());
      expect(record.status).toBe('failed');
      expect(record.error).toMatch(/trial 1 failed: the dataset in .* is not the one the search runs on/);
      await stopped(stranger.child);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes back the trials no worker has started when the search is cancelled', async () => {
    const queue = await RedisTrialQueue.open(redis.url);
    const waiting = new Queue(TRIAL_QUEUE_NAME, { connection: { url: redis.url } });
    const cancel = new AbortController();
    try {
      // No worker is running: the trials wait on the queue until the search is cancelled.
      const searching = runExperiment(
        'hyperparameter-search',
        { ...SEARCH, trials: 4 },
        {
          trialQueue: queue,
          signal: cancel.signal,
        },
      );
      await vi.waitUntil(async () => (await waiting.getWaitingCount()) === 4, { timeout: 30_000, interval: 100 });
      cancel.abort();
      const record = await searching;
      expect(record.status).toBe('cancelled');
      expect(await waiting.getWaitingCount()).toBe(0);
    } finally {
      await Promise.all([queue.close(), waiting.close()]);
    }
  });

  it('fails a search whose Redis stops answering, saying so, after its outage limit', async () => {
    const lost = await startRedis();
    const queue = await RedisTrialQueue.open(lost.url, { outageLimitMs: 2000 });
    const waiting = new Queue(TRIAL_QUEUE_NAME, { connection: { url: lost.url } });
    try {
      // No worker takes the trials: they wait on Redis until it goes away.
      const searching = runExperiment('hyperparameter-search', { ...SEARCH, trials: 2 }, { trialQueue: queue });
      await vi.waitUntil(async () => (await waiting.getWaitingCount()) === 2, { timeout: 30_000, interval: 100 });
      await waiting.close();
      const started = Date.now();
      await lost.stop();
      const record = await searching;
      expect(record.status).toBe('failed');
      expect(record.error).toMatch(/the queue's Redis at redis:\/\/127\.0\.0\.1:\d+ has not answered for [2-9] s/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await queue.close();
      await lost.stop();
    }
  });

  it('says plainly when no Redis answers at the URL', async () => {
    await expect(RedisTrialQueue.open('redis://127.0.0.1:1')).rejects.toThrow(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*is redis-server running\?/,
    );
    await expect(RedisTrialQueue.open('http://127.0.0.1:1')).rejects.toThrow('a redis:// or rediss:// URL is needed');
  });
});
