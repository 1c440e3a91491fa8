import path from 'node:path';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../shared/events';
import { ParamError } from '../shared/experiments';
import { runRecordSchema } from '../shared/runs';
import { smoothCurve } from '../shared/smooth';
import { initBackend } from './backend';
import { type RunOptions, runExperiment } from './runner';
import { type RecordedRun, expectWellFormedEvents, range, recordRun, seriesNamed } from './runs.test-helpers';

/*
 * Real runs of optimizers-mnist on the real MNIST and the real backend. Kept short (the full 2,000
 * iterations take minutes): 200 iterations of the book's net for the learning and determinism checks,
 * a one-layer net of 20 units for divergence, cancel and failure.
 */

type Run = RecordedRun;

const run = (params: Record<string, unknown>, options: RunOptions = {}): Promise<Run> =>
  recordRun('optimizers-mnist', params, options);

beforeAll(async () => {
  await initBackend();
});

describe('optimizers-mnist, 200 iterations of the book net', () => {
  const params = { iterations: 200 };
  let first: Run;

  beforeAll(async () => {
    first = await run(params);
  });

  it('completes with one loss series of 200 points per book optimizer', () => {
    const { record } = first;
    expect(record.status).toBe('completed');
    expect(record.error).toBeUndefined();
    runRecordSchema.parse(record);
    expect(record.experiment).toBe('optimizers-mnist');
    expect(record.seed).toBe(1);
    expect(record.params).toMatchObject({ iterations: 200, batchSize: 128, hidden: [100, 100, 100, 100] });
    expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
    for (const series of record.series) {
      expect(series.metric).toBe('loss');
      expect(series.x).toEqual(range(200));
      expect(series.y).toHaveLength(200);
      expect(series.y.every(Number.isFinite), `${series.name} finite`).toBe(true);
      expect(series.divergedAt).toBeUndefined();
      expect(record.summary[series.name]).toMatchObject({ iterations: 200, finalLoss: series.y[199] });
    }
  });

  it("every optimizer's smoothed loss ends below where it started; SGD learns slowest", () => {
    const ends: Record<string, number> = {};
    for (const series of first.record.series) {
      const smoothed = smoothCurve(series.y);
      // Untrained: about ln(10) = 2.30 on ten classes.
      expect(series.y[0]!, `${series.name} first loss`).toBeGreaterThan(1.5);
      expect(smoothed.at(-1)!, `${series.name} smoothed end`).toBeLessThan(smoothed[0]!);
      ends[series.name] = smoothed.at(-1)!;
    }
    for (const name of ['Momentum', 'AdaGrad', 'Adam']) expect(ends[name]!, name).toBeLessThan(ends.SGD!);
  });

  it('streams well-formed events: started, batched progress (every point once), a log line every 100 iterations, finished', () => {
    const { events, record } = first;
    expectWellFormedEvents(events, record);
    const started = events[0]!;
    if (started.type === 'started') {
      expect(started.totalSteps).toBe(200);
      expect(started.backend).toBe(record.backend);
    }
    const progress = events.filter((e) => e.type === 'progress');
    // Batched a few times a second, never once per step.
    expect(progress.length).toBeLessThan(200);
    const log = progress.flatMap((e) => e.log);
    for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam']) {
      expect(
        log.some((line) => line.startsWith('iteration 0 ') && line.includes(name)),
        `${name} at 0`,
      ).toBe(true);
      expect(
        log.some((line) => line.startsWith('iteration 100 ') && line.includes(name)),
        `${name} at 100`,
      ).toBe(true);
    }
    const last = progress.at(-1);
    if (last?.type === 'progress') expect(last.step).toBe(200);
  });

  it('leaves no tfjs tensors behind', () => {
    expect(first.tensorsAfter).toBe(first.tensorsBefore);
  });

  it('gives identical series for the same seed', async () => {
    const again = await run(params);
    expect(again.record.status).toBe('completed');
    expect(again.record.series).toEqual(first.record.series);
    expect(again.tensorsAfter).toBe(again.tensorsBefore);
  });

  it('gives the same series on 2 threads as on 1', async () => {
    const threaded = await run(params, { threads: 2 });
    expect(threaded.record.status).toBe('completed');
    expect(threaded.record.error).toBeUndefined();
    expect(threaded.record.series).toEqual(first.record.series);
    expectWellFormedEvents(threaded.events, threaded.record);
  });
});

describe('seeds', () => {
  it('another seed gives other batches and weights, hence another series', async () => {
    const small = { iterations: 5, hidden: [20], optimizers: ['SGD'] };
    const a = await run({ ...small, seed: 1 });
    const b = await run({ ...small, seed: 2 });
    expect(a.record.series[0]!.y).toHaveLength(5);
    expect(b.record.series[0]!.y).toHaveLength(5);
    expect(b.record.series[0]!.y).not.toEqual(a.record.series[0]!.y);
  });
});

describe('divergence', () => {
  // Weight decay 10 with SGD lr 50 multiplies every weight by (1 - 50 * 10) = -499 per step: the
  // weights overflow float32 within a few iterations. Adam's steps are bounded by its lr, so it trains on.
  const base = { iterations: 100, hidden: [20], batchSize: 32, lambda: 10 };

  it('stops the diverging series at divergedAt and completes the others', async () => {
    const { record, events, tensorsBefore, tensorsAfter } = await run({
      ...base,
      optimizers: [{ name: 'SGD', lr: 50 }, 'Adam'],
    });
    expect(record.status).toBe('completed');
    expect(record.error).toBeUndefined();
    runRecordSchema.parse(record);

    const sgd = seriesNamed(record, 'SGD');
    expect(sgd.divergedAt).toBeDefined();
    const at = sgd.divergedAt!;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(50);
    // The points before the divergence are kept, all finite; nothing after it.
    expect(sgd.x).toEqual(range(at));
    expect(sgd.y.every(Number.isFinite)).toBe(true);
    expect(record.summary.SGD).toMatchObject({ divergedAt: at, iterations: at });

    const adam = seriesNamed(record, 'Adam');
    expect(adam.divergedAt).toBeUndefined();
    expect(adam.x).toEqual(range(100));
    expect(adam.y.every(Number.isFinite)).toBe(true);

    const diverged = events.filter((e) => e.type === 'diverged');
    expect(diverged).toEqual([{ type: 'diverged', series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, at }]);
    const log = events.flatMap((e) => (e.type === 'progress' ? e.log : []));
    expect(log.some((line) => line.includes('SGD') && line.includes(`iteration ${at}`))).toBe(true);
    expectWellFormedEvents(events, record);
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it("ends with status 'diverged' when every series diverges", async () => {
    const { record, tensorsBefore, tensorsAfter } = await run({
      ...base,
      optimizers: [
        { name: 'SGD', lr: 50 },
        { name: 'Momentum', lr: 50 },
      ],
    });
    expect(record.status).toBe('diverged');
    expect(record.error).toBeUndefined();
    for (const series of record.series) {
      expect(series.divergedAt, series.name).toBeDefined();
      expect(series.x).toEqual(range(series.divergedAt!));
    }
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it('diverges identically on 2 threads', async () => {
    const params = { ...base, iterations: 30, optimizers: [{ name: 'SGD', lr: 50 }, 'Adam'] };
    const one = await run(params);
    const two = await run(params, { threads: 2 });
    expect(two.record.status).toBe('completed');
    expect(two.record.series).toEqual(one.record.series);
    expect(seriesNamed(two.record, 'SGD').divergedAt).toBeDefined();
  });
});

describe('cancel', () => {
  // The book's run (2,000 iterations of the 784-[100 x 4]-10 net): it would take minutes.
  const params = {};

  it.each([1, 2])(
    "aborting after the first progress event ends 'cancelled' with the points so far (threads %i)",
    async (threads) => {
      const controller = new AbortController();
      const { record, events, tensorsBefore, tensorsAfter } = await run(params, {
        threads,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'progress') controller.abort();
        },
      });
      expect(record.status).toBe('cancelled');
      expect(record.error).toBeUndefined();
      expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
      const firstProgress = events.find((e) => e.type === 'progress');
      const streamedBeforeAbort = firstProgress?.type === 'progress' ? firstProgress.points : [];
      expect(streamedBeforeAbort.length).toBeGreaterThan(0);
      for (const series of record.series) {
        // Stopped promptly (today: after the iteration in progress). On one thread every net has done
        // that iteration; with two, the second thread may not have reached its first one.
        if (threads === 1) expect(series.x.length, series.name).toBeGreaterThan(0);
        expect(series.x.length, series.name).toBeLessThan(100);
        expect(series.x).toEqual(range(series.x.length));
        expect(series.y.every(Number.isFinite)).toBe(true);
      }
      // What was streamed before the abort is kept in the record.
      for (const points of streamedBeforeAbort) {
        expect(seriesNamed(record, points.series).y.slice(0, points.y.length)).toEqual(points.y);
      }
      expectWellFormedEvents(events, record);
      expect(tensorsAfter).toBe(tensorsBefore);
    },
  );

  it('a signal aborted before the start gives a cancelled run with no points', async () => {
    const controller = new AbortController();
    controller.abort();
    const { record } = await run(params, { signal: controller.signal });
    expect(record.status).toBe('cancelled');
    for (const series of record.series) expect(series.x).toEqual([]);
  });
});

describe('failures', () => {
  it("a missing data folder ends 'failed' with an error naming the folder", async () => {
    const dir = path.join(tmpdir(), 'dlfs-no-such-mnist-folder');
    const { record, events } = await run({ iterations: 10 }, { dataDir: dir });
    expect(record.status).toBe('failed');
    expect(record.error).toContain(dir);
    expect(record.error).toContain('not found');
    expect(record.dataset).toBe(dir);
    runRecordSchema.parse(record);
    expectWellFormedEvents(events, record);
  });

  it('the same failure from a training thread', async () => {
    const dir = path.join(tmpdir(), 'dlfs-no-such-mnist-folder');
    const { record } = await run({ iterations: 10 }, { dataDir: dir, threads: 2 });
    expect(record.status).toBe('failed');
    expect(record.error).toContain(dir);
  });

  it('bad parameters reject with ParamError before anything starts', async () => {
    const events: ProgressEvent[] = [];
    const attempt = runExperiment(
      'optimizers-mnist',
      { iterations: 0 },
      { threads: 1, onEvent: (e) => events.push(e) },
    );
    await expect(attempt).rejects.toBeInstanceOf(ParamError);
    await expect(attempt).rejects.toThrow(/iterations.*1 to 1000000/);
    expect(events).toEqual([]);
  });
});
