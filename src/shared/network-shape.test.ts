import { describe, expect, it } from 'vitest';
import { defaultParams, networkShape } from './experiments';

const kinds = (id: Parameters<typeof networkShape>[0], params: unknown = {}) =>
  networkShape(id, params)?.layers.map((l) => (l.kind === 'dropout' ? `dropout ${l.ratio}` : `${l.kind} ${l.units}`));

describe('networkShape: the parameter count of each MNIST experiment at the book defaults', () => {
  // 784-100x4-10: the first Affine, three 100-100 ones, the output.
  const fourHidden = 784 * 100 + 100 + 3 * (100 * 100 + 100) + (100 * 10 + 10);
  // 784-100x5-10 and 784-100x6-10.
  const fiveHidden = 784 * 100 + 100 + 4 * (100 * 100 + 100) + (100 * 10 + 10);
  const sixHidden = 784 * 100 + 100 + 5 * (100 * 100 + 100) + (100 * 10 + 10);

  it('counts weights and biases of every Affine (and γ, β per Batch Norm unit)', () => {
    expect(networkShape('optimizers-mnist', defaultParams('optimizers-mnist'))?.paramCount).toBe(fourHidden);
    expect(networkShape('init-mnist', {})?.paramCount).toBe(fourHidden);
    expect(networkShape('batch-norm', {})?.paramCount).toBe(fiveHidden + 5 * 2 * 100);
    expect(networkShape('batch-norm', {})?.twin).toEqual({ without: 'batchnorm', paramCount: fiveHidden });
    expect(networkShape('weight-decay', {})?.paramCount).toBe(sixHidden);
    expect(networkShape('dropout', {})?.paramCount).toBe(sixHidden);
    expect(networkShape('hyperparameter-search', {})?.paramCount).toBe(sixHidden);
    expect(fourHidden).toBe(109_810);
  });

  it('follows the form: hidden sizes, activation, Batch Norm, dropout ratio', () => {
    expect(networkShape('init-mnist', { hidden: [50, 20], activation: 'tanh' })?.paramCount).toBe(
      784 * 50 + 50 + 50 * 20 + 20 + 20 * 10 + 10,
    );
    expect(kinds('init-mnist', { hidden: [50, 20], activation: 'tanh' })).toEqual([
      'input 784',
      'affine 50',
      'tanh 50',
      'affine 20',
      'tanh 20',
      'affine 10',
      'softmax 10',
    ]);
    expect(kinds('batch-norm', { hidden: [30] })).toEqual([
      'input 784',
      'affine 30',
      'batchnorm 30',
      'relu 30',
      'affine 10',
      'softmax 10',
    ]);
    expect(kinds('dropout', { hidden: [30], dropoutRatio: 0.5 })).toEqual([
      'input 784',
      'affine 30',
      'relu 30',
      'dropout 0.5',
      'affine 10',
      'softmax 10',
    ]);
    expect(kinds('dropout', { hidden: [30], dropoutRatio: 0 })).not.toContain('dropout 0');
  });

  it("draws init-activations' toy net (no biases), nothing for the optimizers' paths, null for bad params", () => {
    expect(networkShape('init-activations', {})?.paramCount).toBe(5 * 100 * 100);
    expect(networkShape('optimizer-paths', {})).toBeNull();
    expect(networkShape('init-mnist', { hidden: [] })).toBeNull();
  });
});
