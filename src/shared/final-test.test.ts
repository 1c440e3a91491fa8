import { describe, expect, it } from 'vitest';
import { chosenTrial } from './final-test';
import { trialSeries } from './slots/hyperparameter-search';

describe('the trial step 4 retrains, as its series’ keys name it', () => {
  it('has its lr, weight decay and whatever else it searched; no such trial: undefined', () => {
    const series = [
      trialSeries(1, 'validation', { lr: 0.01, weightDecay: 1e-6 }),
      trialSeries(2, 'validation', { lr: 0.02, weightDecay: 1e-7, also: { optimizer: 'Adam', hiddenSize: 50 } }),
    ];
    expect(chosenTrial(series, 1)).toEqual({ trial: 1, lr: 0.01, weightDecay: 1e-6 });
    expect(chosenTrial(series, 2)).toEqual({
      trial: 2,
      lr: 0.02,
      weightDecay: 1e-7,
      also: { optimizer: 'Adam', hiddenSize: 50 },
    });
    expect(chosenTrial(series, 3)).toBeUndefined();
  });
});
