import { describe, expect, it } from 'vitest';
import { figuresFor } from '../experiments';
import type { Series } from '../runs';
import { optimizerPathSeries } from '../slots/optimizer-paths';

const path = (name: 'SGD' | 'Adam', xs: number[], ys: number[]): Series => ({
  ...optimizerPathSeries(name),
  x: xs,
  y: ys,
});
const run = {
  experiment: 'optimizer-paths',
  series: [path('SGD', [-7, -6, -5], [2, 1, 0]), path('Adam', [-7, -6.5], [2, 1.5])],
  params: {},
};
type Option = { series: { id?: string; data?: unknown }[] };
const marks = (step?: number) =>
  figuresFor(run, step === undefined ? {} : { pathStep: step }).map((chart) =>
    (chart.option as unknown as Option).series
      .filter((s) => s.id?.startsWith('step:'))
      .map((s) => [s.id!.split('@')[0], s.data]),
  );

describe('the paths step slider (Fig. 6-8)', () => {
  it('marks nothing without a step: the book figure `lab figures` draws', () => {
    expect(marks()).toEqual([[], []]);
  });

  it('marks every path at step k on the overlay and in each panel (a shorter path at its end)', () => {
    const atOne = [
      ['step:SGD', [[-6, 1]]],
      ['step:Adam', [[-6.5, 1.5]]],
    ];
    expect(marks(1)).toEqual([atOne, atOne]);
    expect(marks(2)[0]).toEqual([
      ['step:SGD', [[-5, 0]]],
      ['step:Adam', [[-6.5, 1.5]]],
    ]);
  });
});
