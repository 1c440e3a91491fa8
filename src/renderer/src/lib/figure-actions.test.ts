import { describe, expect, it } from 'vitest';
import { defaultParams, paramsJsonSchema, parseParams } from '../../../shared/experiments';
import { narrowedParams, startUpdates } from './figure-actions';
import { defaultFormValues, describeFields } from './param-form';

describe("the figures' interactions", () => {
  it('moves the start point of the paths to a clicked point', () => {
    const fields = describeFields(paramsJsonSchema('optimizer-paths'));
    expect(startUpdates(fields, defaultFormValues('optimizer-paths', fields), 5.25, -3)).toEqual({ startX: '5.25', startY: '-3' });
  });

  it('turns a brushed region into the next search ranges', () => {
    const params = defaultParams('hyperparameter-search') as Record<string, unknown>;
    const next = narrowedParams(params, { x: [0.00123456, 0.01], y: [2e-8, 3.33333e-6] })!;
    expect(next).toMatchObject({ lrMin: 0.00123, lrMax: 0.01, weightDecayMin: 2e-8, weightDecayMax: 0.00000333, trials: params.trials });
    expect(() => parseParams('hyperparameter-search', next)).not.toThrow();
    expect(narrowedParams({ trials: 3 }, { x: [1, 2], y: [1, 2] })).toBeNull();
  });
});
