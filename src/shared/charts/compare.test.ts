import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFiguresFor, figuresFor } from '../experiments';
import { upgradeRunRecord } from '../record-upgrade';
import type { RunRecord } from '../runs';

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

type Series = { id?: string; type?: string; silent?: boolean; lineStyle?: { type?: unknown }; symbol?: string };
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

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

  it('draws nothing for runs of different experiments', () => {
    expect(compareFiguresFor([golden('dropout'), golden('weight-decay')])).toEqual([]);
  });
});
