import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { type RecordedRun, expectWellFormedEvents, range, recordRun, seriesNamed } from '../runs.test-helpers';
import { expectCancelKeepsPoints, expectNarrowerGap, expectTrainTestRun, runsBySeed } from './epoch-runs.test-helpers';

/*
 * Real runs of weight-decay on MNIST at reduced size: the book's 300 images and the full test set,
 * a 4-layer net of 50 units and lr 0.1 (instead of 7 layers of 100 and lr 0.01), so that the
 * overfitting shows within 30 epochs instead of 200.
 */
const SMALL = { hidden: [50, 50, 50], lr: 0.1, epochs: 30 };
const NAMES = ['λ=0 train', 'λ=0 test', 'λ=0.1 train', 'λ=0.1 test'];

const smallRun = runsBySeed('weight-decay', SMALL);

beforeAll(async () => {
  await initBackend();
});

describe('weight-decay, 30 epochs of a small net', () => {
  let run: RecordedRun;
  beforeAll(async () => {
    run = await smallRun(1);
  });

  it('records train and test accuracy of λ=0 and λ=0.1 for epochs 0..30 and their final gap; streams every point, counts mini-batches as progress', () => {
    expectTrainTestRun(run, NAMES, ['λ=0', 'λ=0.1'], 30, 300 / 100);
    expect(run.record.summary['λ=0.1']).toMatchObject({ lambda: 0.1 });
  });
});

describe('must show (Fig. 6-20, 6-21): without weight decay the net learns its 300 images by heart; λ = 0.1 narrows the gap', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    expectNarrowerGap((await smallRun(seed)).record);
  });
});

describe('variants', () => {
  const tiny = { hidden: [20], epochs: 3, trainSize: 100 };

  it('gives the same series on 2 threads as on 1', async () => {
    const one = await recordRun('weight-decay', tiny);
    const two = await recordRun('weight-decay', tiny, { threads: 2 });
    expect(two.record.series).toEqual(one.record.series);
  });

  it('λ = 0 is one net', async () => {
    const { record } = await recordRun('weight-decay', { ...tiny, lambda: 0 });
    expect(record.series.map((s) => s.name)).toEqual(['λ=0 train', 'λ=0 test']);
    expect(Object.keys(record.summary)).toEqual(['λ=0']);
  });

  it('a net whose weights overflow stops its series at divergedAt; the other trains on', async () => {
    // lr 50 with λ = 10 multiplies the weights by 1 - 500 every step: float32 overflows within a few epochs.
    const { record, events } = await recordRun('weight-decay', { ...tiny, epochs: 12, lr: 50, lambda: 10 });
    const train = seriesNamed(record, 'λ=10 train');
    const test = seriesNamed(record, 'λ=10 test');
    expect(train.divergedAt).toBeGreaterThan(0);
    expect(train.divergedAt).toBeLessThan(12);
    expect(test.divergedAt).toBe(train.divergedAt);
    expect(train.x).toEqual(range(train.divergedAt!));
    expect(test.x).toEqual(range(train.divergedAt!));
    expect(record.summary['λ=10']).toMatchObject({ divergedAt: train.divergedAt });
    expect(record.status).toBe('completed');
    expect(seriesNamed(record, 'λ=0 test').x).toEqual(range(13));
    const diverged = events.filter((e) => e.type === 'diverged').map((e) => (e.type === 'diverged' ? e.series : ''));
    expect(diverged).toContain('λ=10 train');
    expectWellFormedEvents(events, record);
  });

  it('cancel keeps the points so far', async () => {
    await expectCancelKeepsPoints('weight-decay', { epochs: 201 });
  });
});
