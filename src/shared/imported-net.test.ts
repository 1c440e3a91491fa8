import { describe, expect, it } from 'vitest';
import { type NamedArray, netFromArrays } from './imported-net';
import { labArrays, labNet } from './imported-net.test-helpers';
import { NpzError, netNpz, parseNpz } from './npz';
import { predict } from './trained-nets';

const choices = { activation: 'relu', dropoutRatio: 0, label: 'net.npz' } as const;

function problem(arrays: NamedArray[], options: Parameters<typeof netFromArrays>[1] = choices): string {
  try {
    netFromArrays(arrays, options);
  } catch (error) {
    expect(error).toBeInstanceOf(NpzError);
    return (error as Error).message;
  }
  throw new Error('the arrays made a net');
}

describe('netFromArrays', () => {
  it.each([
    { hidden: [50, 30], activation: 'tanh', batchNorm: true, dropoutRatio: 0.2 },
    { hidden: [100], activation: 'relu', batchNorm: false, dropoutRatio: 0 },
    { hidden: [40, 30, 20], activation: 'sigmoid', batchNorm: false, dropoutRatio: 0.5 },
  ] as const)('gives back an exported lab net: $hidden, Batch Norm $batchNorm', async (shape) => {
    const net = labNet({ label: 'Adam', ...shape, hidden: [...shape.hidden] });
    const imported = netFromArrays(await parseNpz(netNpz(net)), { ...shape, label: 'Adam' });
    expect(imported).toEqual(net);
    const input = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 7) / 6);
    expect(predict(imported, input, 2)).toEqual(predict(net, input, 2));
  });

  it('names what is missing or does not fit', () => {
    const arrays = labArrays([20, 15], true);
    const without = (name: string) => arrays.filter((a) => a.name !== name);
    const reshaped = (name: string, shape: number[]) =>
      arrays.map((a) => (a.name === name ? { ...a, shape, values: new Float32Array(shape[0]! * (shape[1] ?? 1)) } : a));
    expect(problem(without('b2'))).toBe('The net has no b2.');
    expect(problem(without('W2'))).toBe('The net has no W2.');
    expect(problem([])).toBe('The net has no W1.');
    expect(problem(labArrays([], false))).toBe('The net has no W2.');
    expect(problem(reshaped('W1', [28, 20]))).toBe('W1 has shape (28, 20), expected (784, n).');
    expect(problem(reshaped('W2', [21, 15]))).toBe('W2 has shape (21, 15), expected (20, n).');
    expect(problem(reshaped('W3', [15, 9]))).toBe('W3 has shape (15, 9), expected (15, 10).');
    expect(problem(reshaped('b1', [21]))).toBe('b1 has shape (21,), expected (20,).');
    expect(problem(reshaped('gamma2', [20]))).toBe('gamma2 has shape (20,), expected (15,).');
    expect(problem(without('running_var2'))).toBe(
      'Batch Norm needs gamma, beta, running_mean and running_var for every hidden layer; missing: running_var2.',
    );
    expect(problem(arrays.filter((a) => !a.name.endsWith('1') || a.name === 'W1' || a.name === 'b1'))).toBe(
      'Batch Norm needs gamma, beta, running_mean and running_var for every hidden layer; missing: gamma1, beta1, running_mean1, running_var1.',
    );
    expect(problem([...arrays, { name: 'x', shape: [1], values: new Float32Array(1) }])).toMatch(/^x is not one of/);
    expect(problem([...arrays, { name: 'gamma3', shape: [10], values: new Float32Array(10) }])).toMatch(
      /^gamma3 is not one of/,
    );
    expect(problem(arrays, { ...choices, dropoutRatio: 1 })).toBe('The dropout ratio must be at least 0 and below 1.');
  });
});
