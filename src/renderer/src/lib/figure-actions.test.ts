import { describe, expect, it } from 'vitest';
import { defaultParams, figuresFor, parseParams } from '../../../shared/experiments';
import { type BrushRegion, type PickPoint, narrowedParams, startUpdates } from './figure-actions';

/** The interaction a figure of the experiment declares (its slot names the parameters it sets). */
function interactionOf<K extends 'pick-point' | 'brush-region'>(
  experiment: 'optimizer-paths' | 'hyperparameter-search',
  kind: K,
) {
  const chart = figuresFor({ experiment, series: [], params: defaultParams(experiment) }).find(
    (c) => c.interaction?.kind === kind,
  );
  return chart!.interaction as K extends 'pick-point' ? PickPoint : BrushRegion;
}

describe("the figures' interactions", () => {
  it('moves the start point of the paths to a clicked point', () => {
    expect(startUpdates(interactionOf('optimizer-paths', 'pick-point'), 5.25, -3)).toEqual({
      startX: '5.25',
      startY: '-3',
    });
  });

  it('turns a brushed region into the next search ranges', () => {
    const params = defaultParams('hyperparameter-search') as Record<string, unknown>;
    const next = narrowedParams(params, interactionOf('hyperparameter-search', 'brush-region'), {
      x: [0.00123456, 0.01],
      y: [2e-8, 3.33333e-6],
    })!;
    expect(next).toMatchObject({
      lrMin: 0.00123,
      lrMax: 0.01,
      weightDecayMin: 2e-8,
      weightDecayMax: 0.00000333,
      trials: params.trials,
    });
    expect(() => parseParams('hyperparameter-search', next)).not.toThrow();
    expect(
      narrowedParams(null, interactionOf('hyperparameter-search', 'brush-region'), { x: [1, 2], y: [1, 2] }),
    ).toBeNull();
  });
});
