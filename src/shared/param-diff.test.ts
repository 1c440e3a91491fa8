import { describe, expect, it } from 'vitest';
import { defaultParams, parseParams } from './experiments';
import { changedParams, commandLineFor, compareParams, describeChanges, flattenParams } from './param-diff';

describe('parameter differences', () => {
  const book = defaultParams('optimizers-mnist');
  const faster = parseParams('optimizers-mnist', {
    ...book,
    optimizers: ['SGD', { name: 'Adam', lr: 0.002 }],
    iterations: 500,
  });

  it('flattens named lists into their names and one path per field', () => {
    const flat = flattenParams(faster);
    expect(flat.get('optimizers')).toEqual(['SGD', 'Adam']);
    expect(flat.get('optimizers.Adam.lr')).toBe(0.002);
    expect(flat.get('optimizers.Adam.beta1')).toBe(0.9);
    expect(flat.get('hidden')).toEqual([100, 100, 100, 100]);
  });

  it('names what differs from the book, seed aside', () => {
    const changes = changedParams({ ...faster, seed: 9 }, book);
    expect(changes).toEqual([
      ['iterations', 500],
      ['optimizers', ['SGD', 'Adam']],
      ['optimizers.Adam.lr', 0.002],
    ]);
    expect(describeChanges(changes)).toBe('iterations 500, optimizers SGD, Adam, optimizers.Adam.lr 0.002');
    expect(changedParams(book, book)).toEqual([]);
  });

  it('shows a search’s further ranges (a list of unnamed objects) as JSON, not [object Object]', () => {
    const defaults = defaultParams('hyperparameter-search');
    const ranges = [{ param: 'optimizer', scale: 'choice', choices: ['SGD', 'Adam'] }];
    const search = parseParams('hyperparameter-search', { searchAlso: ranges, pruning: 'median' });
    expect(describeChanges(changedParams(search, defaults))).toBe(
      'searchAlso {"param":"optimizer","scale":"choice","choices":["SGD","Adam"]}, pruning median',
    );
  });

  it('compares runs row by row, marking the rows that differ', () => {
    const rows = compareParams([book, { ...book, batchSize: 64 }, book]);
    expect(rows.filter((r) => r.differs).map((r) => [r.path, r.values])).toEqual([['batchSize', [128, 64, 128]]]);
    expect(rows.find((r) => r.path === 'optimizers.Momentum.momentum')).toMatchObject({ differs: false });
  });

  it('writes the command line that gives the same parameters back', () => {
    const line = commandLineFor('optimizers-mnist', faster, book, 7);
    expect(line).toBe(
      `npm run lab -- run optimizers-mnist --set iterations=500 --set 'optimizers=[{"name":"SGD","lr":0.01},{"name":"Adam","lr":0.002,"beta1":0.9,"beta2":0.999}]' --seed 7`,
    );
  });
});
