import { describe, expect, it } from 'vitest';
import {
  type SearchRange,
  heaviestValues,
  rangeValueAt,
  searchRangeProblems,
  searchedHidden,
  searchedValuesAt,
  searchedValuesOf,
  searchedValuesText,
} from './searchable';

describe('the parameters a search can range over besides lr and weight decay', () => {
  it('maps a unit position to a value: log in the exponent, linear in the value, integers rounded, choices by share', () => {
    expect(rangeValueAt({ param: 'hiddenSize', scale: 'log', min: 10, max: 1000 }, 0.5)).toBe(100);
    expect(rangeValueAt({ param: 'hiddenSize', scale: 'linear', min: 10, max: 20 }, 0.44)).toBe(14);
    expect(rangeValueAt({ param: 'dropoutRatio', scale: 'linear', min: 0.1, max: 0.5 }, 0.25)).toBeCloseTo(0.2, 12);
    const optimizers: SearchRange = { param: 'optimizer', scale: 'choice', choices: ['SGD', 'Adam', 'AdaGrad'] };
    expect([0, 0.33, 0.34, 0.66, 0.67, 1].map((u) => rangeValueAt(optimizers, u))).toEqual([
      'SGD',
      'SGD',
      'Adam',
      'Adam',
      'AdaGrad',
      'AdaGrad',
    ]);
  });

  it('gives a trial its values in typed fields, and reads them back from a series key', () => {
    const ranges: SearchRange[] = [
      { param: 'batchNorm', scale: 'choice', choices: [false, true] },
      { param: 'init', scale: 'choice', choices: ['he', 0.01] },
      { param: 'hiddenLayers', scale: 'linear', min: 1, max: 5 },
    ];
    const values = searchedValuesAt(ranges, [0.9, 0.9, 0]);
    expect(values).toEqual({ batchNorm: true, init: 0.01, hiddenLayers: 1 });
    expect(searchedValuesOf({ trial: 3, lr: 0.1, ...values } as Record<string, unknown>)).toEqual(values);
    expect(searchedValuesOf({ trial: 3, lr: 0.1 } as Record<string, unknown>)).toBeUndefined();
    expect(searchedValuesText(values)).toBe('number of hidden layers:1, weight init:0.01, Batch Norm:true');
  });

  it('says what is wrong with a range, by its index', () => {
    expect(
      searchRangeProblems([
        { param: 'optimizer', scale: 'choice', choices: ['SGD', 'Nope'] },
        { param: 'hiddenLayers', scale: 'linear', min: 4, max: 2 },
        { param: 'dropoutRatio', scale: 'linear', min: 0, max: 0.99 },
        { param: 'optimizer', scale: 'choice', choices: ['Adam'] },
      ]),
    ).toEqual([
      { index: 0, message: '"Nope" is not a valid optimizer' },
      { index: 1, message: 'hiddenLayers: min (4) must be below max (2)' },
      { index: 2, message: '0.99 is not a valid dropout ratio' },
      { index: 3, message: 'optimizer is searched twice' },
    ]);
    expect(searchRangeProblems([{ param: 'hiddenSize', scale: 'log', min: 10, max: 500 }])).toEqual([]);
  });

  it('builds a trial’s hidden layers from the search’s, with a searched width and number', () => {
    expect(searchedHidden([100, 50], {})).toEqual([100, 50]);
    expect(searchedHidden([100, 50], { hiddenSize: 20 })).toEqual([20, 20]);
    expect(searchedHidden([100, 50], { hiddenLayers: 4 })).toEqual([100, 50, 50, 50]);
    expect(searchedHidden([100, 50], { hiddenLayers: 1, hiddenSize: 7 })).toEqual([7]);
  });

  it('finds the heaviest trial the ranges allow, for the memory estimate', () => {
    expect(
      heaviestValues([
        { param: 'hiddenSize', scale: 'log', min: 10, max: 500 },
        { param: 'hiddenLayers', scale: 'choice', choices: [2, 6, 3] },
        { param: 'batchNorm', scale: 'choice', choices: [false, true] },
        { param: 'optimizer', scale: 'choice', choices: ['SGD', 'Adam'] },
        { param: 'activation', scale: 'choice', choices: ['tanh'] },
      ]),
    ).toEqual({ hiddenSize: 500, hiddenLayers: 6, batchNorm: true, optimizer: 'Adam' });
    expect(heaviestValues([])).toEqual({});
  });
});
