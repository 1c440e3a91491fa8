import { expect } from 'vitest';
import type { ExperimentId } from '../../shared/experiments';
import { type RunRecord, runRecordSchema } from '../../shared/runs';
import {
  type RecordedRun,
  expectClaimsHold,
  expectWellFormedEvents,
  range,
  recordRun,
  seriesNamed,
} from '../runs.test-helpers';

/**
 * Test helper for the epoch experiments: a run cancelled at its first batch of points ends
 * 'cancelled', keeps what was streamed, and every series is a prefix (epochs 0, 1, ...) of the full one.
 */
export async function expectCancelKeepsPoints(
  id: ExperimentId,
  params: Record<string, unknown>,
  threads = 1,
): Promise<void> {
  const controller = new AbortController();
  const { record, events, tensorsBefore, tensorsAfter } = await recordRun(id, params, {
    threads,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'progress' && event.points.length > 0) controller.abort();
    },
  });
  expect(record.status).toBe('cancelled');
  expect(record.error).toBeUndefined();
  const first = events.find((e) => e.type === 'progress' && e.points.length > 0);
  const streamed = first?.type === 'progress' ? first.points : [];
  expect(streamed.length).toBeGreaterThan(0);
  for (const points of streamed)
    expect(seriesNamed(record, points.series).y.slice(0, points.y.length)).toEqual(points.y);
  const epochs = params.epochs as number;
  for (const series of record.series) {
    expect(series.x).toEqual(range(series.x.length));
    expect(series.x.length, series.name).toBeLessThan(epochs + 1);
  }
  expectWellFormedEvents(events, record);
  expect(tensorsAfter).toBe(tensorsBefore);
}

/**
 * A completed train/test comparison (weight decay, dropout): the series `names` in order (train, test
 * of each net), accuracies from epoch 0 to `epochs`, per net a summary with the final values; every
 * point streamed, progress to the end (every net's `batchesPerEpoch` mini-batches of every epoch), no
 * tensor left behind.
 */
export function expectTrainTestRun(
  run: RecordedRun,
  names: string[],
  summaryKeys: string[],
  epochs: number,
  batchesPerEpoch: number,
): void {
  const { record } = run;
  expectStreamedToTheEnd(run, summaryKeys.length * epochs * batchesPerEpoch);
  expect(record.status).toBe('completed');
  runRecordSchema.parse(record);
  expect(record.series.map((s) => s.name)).toEqual(names);
  record.series.forEach((series, i) => {
    expect(series.metric).toBe(i % 2 === 0 ? 'train accuracy' : 'test accuracy');
    expect(series.x).toEqual(range(epochs + 1));
    expect(series.y.every((y) => y >= 0 && y <= 1)).toBe(true);
  });
  expect(Object.keys(record.summary)).toEqual(summaryKeys);
  summaryKeys.forEach((key, k) => {
    const train = record.series[2 * k]!.y.at(-1)!;
    const test = record.series[2 * k + 1]!.y.at(-1)!;
    expect(record.summary[key]).toMatchObject({
      finalTrainAccuracy: train,
      finalTestAccuracy: test,
      gap: train - test,
      epochs,
    });
  });
}

/**
 * The "must show" of weight decay and dropout, as the slot's claims say it: the plain net learns its
 * training images by heart (train accuracy ~1) and overfits (a gap above 0.15); the regularised one
 * leaves a smaller gap and stays below 0.95 in train accuracy (all over the last five epochs).
 */
export function expectNarrowerGap(record: RunRecord): void {
  expectClaimsHold(record, ['plain-overfits', 'narrower-gap', 'train-below-one']);
}

/** One run of `id` per seed with `params`, started on first use and shared by the tests that ask for it. */
export function runsBySeed(id: ExperimentId, params: Record<string, unknown>): (seed: number) => Promise<RecordedRun> {
  const runs = new Map<number, Promise<RecordedRun>>();
  return (seed) => {
    if (!runs.has(seed)) runs.set(seed, recordRun(id, { ...params, seed }));
    return runs.get(seed)!;
  };
}

/** Every point was streamed, progress ended at `totalSteps` (mini-batches over all nets), no tensor was left behind. */
export function expectStreamedToTheEnd(run: RecordedRun, totalSteps: number): void {
  const { events, record } = run;
  expectWellFormedEvents(events, record);
  const started = events[0];
  expect(started?.type === 'started' && started.totalSteps).toBe(totalSteps);
  const last = events.filter((e) => e.type === 'progress').at(-1);
  expect(last?.type === 'progress' && last.step).toBe(totalSteps);
  expect(run.tensorsAfter).toBe(run.tensorsBefore);
}
