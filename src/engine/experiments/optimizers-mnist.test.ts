import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { runExperiment } from '../runner';

beforeAll(async () => {
  await initBackend();
});

const tiny = { iterations: 3, batchSize: 16, hidden: [20, 20] };
const firstLosses = async (sameStartWeights: boolean) => {
  const record = await runExperiment('optimizers-mnist', { ...tiny, sameStartWeights }, { threads: 1 });
  return record.series.map((s) => s.y[0]);
};

describe('optimizers-mnist starting weights', () => {
  it('by default gives each net its own draw, as the book does: the losses differ from iteration 0', async () => {
    const losses = await firstLosses(false);
    expect(new Set(losses).size).toBe(losses.length);
  });

  it('with sameStartWeights starts every net from one draw: the same loss at iteration 0, then apart', async () => {
    const record = await runExperiment('optimizers-mnist', { ...tiny, sameStartWeights: true }, { threads: 2 });
    const atZero = record.series.map((s) => s.y[0]);
    expect(new Set(atZero).size).toBe(1);
    expect(new Set(record.series.map((s) => s.y[2])).size).toBe(record.series.length);
    // The first net's weights are its own draw either way.
    expect(atZero[0]).toBe((await firstLosses(false))[0]);
  });
});

describe('optimizers-mnist learning-rate schedule', () => {
  it("reaches every net's optimizer: a step schedule halving each update matches the constant run until its second update", async () => {
    const constant = await runExperiment('optimizers-mnist', tiny, { threads: 1 });
    const halving = await runExperiment(
      'optimizers-mnist',
      { ...tiny, lrSchedule: 'step', lrEvery: 1, lrFactor: 0.5 },
      { threads: 1 },
    );
    halving.series.forEach((series, i) => {
      const book = constant.series[i]!;
      // Losses are measured before each update: iterations 0 and 1 have seen only the full-rate update.
      expect(series.y.slice(0, 2), series.name).toEqual(book.y.slice(0, 2));
      expect(series.y[2], series.name).not.toBe(book.y[2]);
    });
  });
});
