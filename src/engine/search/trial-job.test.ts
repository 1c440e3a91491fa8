import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/mnist';
import { datasetFingerprint, encodeValue, trialProgressSchema } from './trial-job';

describe('a trial on the wire', () => {
  it('carries NaN and infinite values (a diverging trial) through JSON', () => {
    const values = [NaN, Infinity, -Infinity, 0.5].map((value, step) =>
      encodeValue({ member: 0, step, metric: 'loss', value }),
    );
    const wire = JSON.parse(JSON.stringify({ worker: 'w', batches: 3, values })) as unknown;
    expect(trialProgressSchema.parse(wire).values.map((v) => v.value)).toEqual([NaN, Infinity, -Infinity, 0.5]);
  });

  it('refuses a report it cannot read', () => {
    expect(trialProgressSchema.safeParse({ worker: 'w', batches: -1, values: [] }).success).toBe(false);
    expect(
      trialProgressSchema.safeParse({
        worker: 'w',
        batches: 0,
        values: [{ member: 0, step: 0, metric: 'loss', value: 'x' }],
      }).success,
    ).toBe(false);
  });

  it('names the bundled MNIST by its contents, the same on every load', () => {
    const fingerprint = datasetFingerprint(loadDataset());
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(datasetFingerprint(loadDataset())).toBe(fingerprint);
  });
});
