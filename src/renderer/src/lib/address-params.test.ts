import { describe, expect, it } from 'vitest';
import { defaultParams, parseParams } from '../../../shared/experiments';
import { bookPreset } from '../../../shared/workbench-presets';
import { addressQuery, paramsFromQuery, queryFromParams } from './address-params';

describe("an experiment page's address", () => {
  it('carries only what differs from the book, and reads back to the same parameters', () => {
    const params = parseParams('optimizers-mnist', {
      iterations: 500,
      hidden: [50, 50],
      optimizers: ['SGD', { name: 'Adam', lr: 0.002 }],
      seed: 7,
    }) as Record<string, unknown>;
    const query = queryFromParams('optimizers-mnist', params);
    expect(query).toEqual([
      ['iterations', '500'],
      ['hidden', '50,50'],
      ['optimizers', 'SGD,Adam'],
      ['optimizers.Adam.lr', '0.002'],
      ['seed', '7'],
    ]);
    expect(paramsFromQuery('optimizers-mnist', query)).toEqual({ params });
    expect(queryFromParams('optimizers-mnist', defaultParams('optimizers-mnist') as Record<string, unknown>)).toEqual(
      [],
    );
  });

  it('round-trips weight inits mixing numbers and names, and the search ranges', () => {
    const inits = parseParams('init-mnist', { inits: [0.05, 'he'] }) as Record<string, unknown>;
    expect(paramsFromQuery('init-mnist', queryFromParams('init-mnist', inits))).toEqual({ params: inits });
    const search = parseParams('hyperparameter-search', { lrMin: 0.001, lrMax: 0.01, trials: 20 }) as Record<
      string,
      unknown
    >;
    expect(paramsFromQuery('hyperparameter-search', queryFromParams('hyperparameter-search', search))).toEqual({
      params: search,
    });
  });

  it('says what is wrong with a bad address', () => {
    const errorOf = (query: [string, string][]) => {
      const result = paramsFromQuery('optimizers-mnist', query);
      return 'error' in result ? result.error : '';
    };
    expect(errorOf([['iterations', '0']])).toContain('iterations');
    expect(errorOf([['nope.x', '1']])).toContain('nope');
  });

  it("carries the workbench's variants whole, and reads them back: presets, added variants, names with dots and =", () => {
    const short = parseParams('workbench', { trainSize: 300, seeds: 2, seed: 4 }) as Record<string, unknown>;
    expect(addressQuery('workbench', short)).toEqual([
      ['trainSize', '300'],
      ['seeds', '2'],
      ['seed', '4'],
    ]);
    const variants = [
      { name: 'plain', hidden: [50, 50] },
      { name: 'λ=0.1 · BN', hidden: [50, 50], batchNorm: true, lambda: 0.1, optimizer: { name: 'Adam', lr: 0.002 } },
      { name: 'dropout 0.2, cosine', dropoutRatio: 0.2, lrSchedule: 'cosine' },
    ];
    const custom = parseParams('workbench', { variants, seeds: 3 }) as Record<string, unknown>;
    for (const params of [
      custom,
      ...(['optimizers-mnist', 'init-mnist', 'weight-decay', 'dropout'] as const).map(
        (id) => bookPreset(id) as Record<string, unknown>,
      ),
    ]) {
      const query = addressQuery('workbench', params);
      expect(query.map(([path]) => path)).toContain('variants');
      expect(paramsFromQuery('workbench', query)).toEqual({ params });
    }
  });
});
