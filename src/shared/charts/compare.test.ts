import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFiguresFor, figuresFor } from '../experiments';
import { upgradeRunRecord } from '../record-upgrade';
import type { RunRecord } from '../runs';
import { DEFAULT_CHART_VIEW } from './chart-view';

const golden = (id: string): RunRecord =>
  upgradeRunRecord(
    JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../fixtures/golden', `${id}.json`), 'utf8')),
  );

/** The same run with every y scaled: a second run to compare. */
const scaled = (record: RunRecord, factor: number): RunRecord => ({
  ...record,
  params: { ...record.params, seed: 2 },
  series: record.series.map((s) => ({ ...s, y: s.y.map((y) => y * factor) })),
});

type Series = {
  id?: string;
  type?: string;
  silent?: boolean;
  lineStyle?: { type?: unknown };
  symbol?: string;
  data?: [number, number][];
};
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;
const yAxisOf = (option: unknown) => (option as { yAxis: { min?: number; max?: number } }).yAxis;

/** The golden run (every loss above 1 in its 40 iterations) brought down into the book's 0..1 as it goes. */
const learnsFaster = (record: RunRecord): RunRecord => ({
  ...record,
  params: { ...record.params, seed: 3 },
  series: record.series.map((s) => ({ ...s, y: s.y.map((y, i) => y * 0.45 * (1 - i / s.y.length)) })),
});
/** The finite y values the run's series draw in a figure (ids of run k end with ~r<k>). */
const drawnBy = (option: unknown, run: number) =>
  seriesOf(option)
    .filter((s) => s.type === 'line' && (run === 0 ? !s.id?.includes('~r') : s.id?.endsWith(`~r${run}`)))
    .flatMap((s) => (s.data ?? []).map((p) => p[1]))
    .filter((y) => Number.isFinite(y));

describe('compareFiguresFor', () => {
  it('draws both runs in each figure: the second run dashed, under its own ids', () => {
    const a = golden('optimizers-mnist');
    const [alone] = figuresFor(a);
    const [both] = compareFiguresFor([a, scaled(a, 0.5)]);
    expect(both!.key).toBe(alone!.key);
    expect(both!.points).toBe(2 * alone!.points);
    const all = seriesOf(both!.option);
    const second = all.filter((s) => s.id?.endsWith('~r1'));
    expect(second).toHaveLength(seriesOf(alone!.option).filter((s) => !s.silent).length);
    expect(second.every((s) => Array.isArray(s.lineStyle?.type))).toBe(true);
  });

  it('keeps each figure of a panel experiment, without the second run’s decorations or interactions', () => {
    const search = golden('hyperparameter-search');
    const charts = compareFiguresFor([search, scaled(search, 0.9)]);
    expect(charts.map((c) => c.key)).toEqual(figuresFor(search).map((c) => c.key));
    expect(charts.every((c) => c.interaction === undefined)).toBe(true);
    const scatter = seriesOf(charts[0]!.option);
    expect(scatter.map((s) => [s.id, s.symbol])).toEqual([
      ['trials', undefined],
      ['trials~r1', 'triangle'],
    ]);
    const decay = golden('weight-decay');
    const [panels] = compareFiguresFor([decay, scaled(decay, 0.8)]);
    expect(seriesOf(panels!.option).filter((s) => s.id?.endsWith('~r1') && s.silent)).toEqual([]);
  });

  it("takes in a run whose loss stays above the book's range, whichever run comes first", () => {
    // SGD at lr 0.01 for 40 iterations stays above 1 (the golden run); a run brought under 1 fits the book.
    const slow = golden('optimizers-mnist');
    const fast = learnsFaster(slow);
    expect(yAxisOf(figuresFor(fast)[0]!.option)).toMatchObject({ min: 0, max: 1 });
    for (const [runs, slowRun] of [
      [[fast, slow], 1],
      [[slow, fast], 0],
    ] as const) {
      const [both] = compareFiguresFor(runs);
      const { min, max } = yAxisOf(both!.option);
      expect(max).toBeGreaterThan(1);
      const smoothed = seriesOf(both!.option).filter(
        (s) => s.id?.includes(':smoothed') && (slowRun === 0 ? !s.id.includes('~r') : s.id.endsWith('~r1')),
      );
      expect(smoothed).toHaveLength(slow.series.length);
      for (const s of smoothed)
        for (const [, y] of s.data!.filter((p) => Number.isFinite(p[1]))) {
          expect(y).toBeGreaterThanOrEqual(min!);
          expect(y).toBeLessThanOrEqual(max!);
        }
    }
  });

  it('fits the y axis to every run’s data with fitY on', () => {
    const slow = golden('optimizers-mnist');
    const fast = learnsFaster(slow);
    const fitted = { view: () => ({ ...DEFAULT_CHART_VIEW, fitY: true }) };
    const [both] = compareFiguresFor([fast, slow], fitted);
    const drawn = [...drawnBy(both!.option, 0), ...drawnBy(both!.option, 1)];
    const { min, max } = yAxisOf(both!.option);
    expect(min).toBeLessThanOrEqual(Math.min(...drawn));
    expect(max).toBeGreaterThanOrEqual(Math.max(...drawn));
    // Fitted: no more than a round step beyond the data at either end.
    expect(Math.min(...drawn) - min!).toBeLessThan(0.5);
    expect(max! - Math.max(...drawn)).toBeLessThan(0.5);
  });

  it('draws nothing for runs of different experiments', () => {
    expect(compareFiguresFor([golden('dropout'), golden('weight-decay')])).toEqual([]);
  });
});
