import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { type RecordedRun, recordRun } from '../runs.test-helpers';
import { expectCancelKeepsPoints, expectNarrowerGap, expectTrainTestRun, runsBySeed } from './epoch-runs.test-helpers';

/*
 * Real runs of dropout on MNIST at reduced size: the book's 300 images, ratio 0.2 and the full test
 * set, a 4-layer net of 50 units and lr 0.1 (instead of 7 layers of 100 and lr 0.01), 30 epochs
 * instead of 300.
 */
const SMALL = { hidden: [50, 50, 50], lr: 0.1, epochs: 30 };
const NAMES = ['no dropout train', 'no dropout test', 'dropout 0.2 train', 'dropout 0.2 test'];

const smallRun = runsBySeed('dropout', SMALL);

beforeAll(async () => {
  await initBackend();
});

describe('dropout, 30 epochs of a small net', () => {
  let run: RecordedRun;
  beforeAll(async () => {
    run = await smallRun(1);
  });

  it('records train and test accuracy without and with dropout for epochs 0..30 and their final gap; streams every point, counts epochs as progress', () => {
    expectTrainTestRun(run, NAMES, ['no dropout', 'dropout 0.2'], 30, 300 / 100);
    expect(run.record.summary['dropout 0.2']).toMatchObject({ dropoutRatio: 0.2 });
  });
});

describe('must show (Fig. 6-22, 6-23): with dropout the train/test gap is smaller and train accuracy stays below 1', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    expectNarrowerGap((await smallRun(seed)).record);
  });
});

describe('variants', () => {
  const tiny = { hidden: [20], epochs: 3, trainSize: 100 };

  it('gives the same series on 2 threads as on 1 (each net draws its masks from its own stream)', async () => {
    const one = await recordRun('dropout', tiny);
    const two = await recordRun('dropout', tiny, { threads: 2 });
    expect(two.record.series).toEqual(one.record.series);
  });

  it('ratio 0 is one net; another ratio names its series after it', async () => {
    const none = await recordRun('dropout', { ...tiny, dropoutRatio: 0 });
    expect(none.record.series.map((s) => s.name)).toEqual(['no dropout train', 'no dropout test']);
    const half = await recordRun('dropout', { ...tiny, dropoutRatio: 0.5 });
    expect(half.record.series.map((s) => s.name)).toEqual([
      'no dropout train',
      'no dropout test',
      'dropout 0.5 train',
      'dropout 0.5 test',
    ]);
    // The net without dropout is the same net on the same batches in both runs.
    expect(half.record.series.slice(0, 2)).toEqual(none.record.series);
  });

  it.each([1, 2])('cancel keeps the points so far (threads %i)', async (threads) => {
    await expectCancelKeepsPoints('dropout', { epochs: 301 }, threads);
  });
});
