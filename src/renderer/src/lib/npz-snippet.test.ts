import { describe, expect, it } from 'vitest';
import { npzSnippet } from './npz-snippet';

describe("the book's code that loads a kept net", () => {
  it('builds the same net and copies the arrays into it', () => {
    const code = npzSnippet(
      { label: 'Adam', hidden: [100, 100], activation: 'relu', batchNorm: false, dropoutRatio: 0 },
      'optimizers-mnist-Adam.npz',
    );
    expect(code).toContain(
      "MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100], output_size=10, activation='relu')",
    );
    expect(code).toContain("f = np.load('optimizers-mnist-Adam.npz')");
    expect(code).toContain('net.params[key][...] = f[key]');
    expect(code).not.toContain('running_mean');
  });

  it('sets the Batch Norm layers running statistics and the dropout ratio', () => {
    const code = npzSnippet(
      { label: 'bn', hidden: [50, 50, 50], activation: 'sigmoid', batchNorm: true, dropoutRatio: 0.2 },
      'net.npz',
    );
    expect(code).toContain('use_batchnorm=True, use_dropout=True, dropout_ration=0.2');
    expect(code).toContain('for i in range(1, 4):');
    expect(code).toContain("bn.running_mean, bn.running_var = f['running_mean%d' % i], f['running_var%d' % i]");
  });
});
