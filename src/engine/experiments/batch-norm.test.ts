import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormSeries, weightScales } from '../../shared/slots/batch-norm';
import { runRecordSchema } from '../../shared/runs';
import { initBackend } from '../backend';
import { type RecordedRun, expectClaimsHold, range, recordRun, seriesNamed } from '../runs.test-helpers';
import { expectCancelKeepsPoints, expectStreamedToTheEnd, runsBySeed } from './epoch-runs.test-helpers';

/*
 * Real runs of batch-norm on MNIST at reduced size: the two extreme weight scales (std 1 and 1e-4),
 * the book's 6-layer net and 1,000 images, 6 epochs instead of 20.
 */
const EXTREMES = { scales: 2, epochs: 6 };

beforeAll(async () => {
  await initBackend();
});

const extremesRun = runsBySeed('batch-norm', EXTREMES);

describe('batch-norm at the extreme scales (std 1 and 1e-4), 6 epochs', () => {
  let run: RecordedRun;
  beforeAll(async () => {
    run = await extremesRun(1);
  });

  it('records one train-accuracy series per scale and kind, named as the figure needs, from epoch 0 to 6', () => {
    const { record } = run;
    expect(record.status).toBe('completed');
    runRecordSchema.parse(record);
    expect(record.series.map((s) => s.name)).toEqual([
      'Batch Norm|std=1',
      'Normal|std=1',
      'Batch Norm|std=0.0001',
      'Normal|std=0.0001',
    ]);
    for (const series of record.series) {
      expect(series.metric).toBe('train accuracy');
      // A plain net at std 1 may overflow float32 and diverge: its series then stops there.
      expect(series.x).toEqual(range(series.divergedAt ?? 7));
      expect(series.y.every((y) => y >= 0 && y <= 1)).toBe(true);
    }
    expect(Object.keys(record.summary)).toEqual(['std=1', 'std=0.0001']);
    expect(record.summary['std=0.0001']).toMatchObject({
      std: 0.0001,
      batchNorm: seriesNamed(record, 'Batch Norm|std=0.0001').y.at(-1),
      normal: seriesNamed(record, 'Normal|std=0.0001').y.at(-1),
    });
  });

  it('streams every point, counts mini-batches over all nets as progress, leaves no tensors', () => {
    // 4 nets × 6 epochs × 1,000 images / 100 a batch.
    expectStreamedToTheEnd(run, 4 * 6 * 10);
  });

  it('gives the same series on 2 threads as on 1', async () => {
    const threaded = await recordRun('batch-norm', { ...EXTREMES, seed: 1 }, { threads: 2 });
    expect(threaded.record.series).toEqual(run.record.series);
  });
});

describe('must show (Fig. 6-19): with Batch Norm the net learns at std 1e-4 and std 1, without it does not', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    const { record } = await extremesRun(seed);
    // The slot's claims: Batch Norm ahead at both scales, the plain net at chance (<= 0.2) at both.
    expectClaimsHold(record, ['bn-ahead-at-most-scales', 'plain-fails-at-extremes']);
    // Untrained nets are at chance (about 0.1); with Batch Norm the net learns even from std 1e-4.
    expect(seriesNamed(record, 'Batch Norm|std=0.0001').y.at(-1)!).toBeGreaterThan(0.3);
  });
});

it('the sweep covers the book scales, 1 down to 1e-4, each with a Batch Norm and a plain series', async () => {
  expect(weightScales(16)[0]).toBe(1);
  expect(weightScales(16)[15]).toBe(0.0001);
  expect(
    weightScales(16)
      .map((std) => batchNormSeries(true, std).name)
      .slice(0, 3),
  ).toEqual(['Batch Norm|std=1', 'Batch Norm|std=0.541', 'Batch Norm|std=0.293']);
  const { record } = await recordRun('batch-norm', { scales: 16, epochs: 1, trainSize: 100, hidden: [10] });
  expect(record.series).toHaveLength(32);
  expect(record.series.filter((s) => s.name.startsWith('Normal|'))).toHaveLength(16);
});

it('cancel keeps the points so far', async () => {
  await expectCancelKeepsPoints('batch-norm', { epochs: 20 });
});
