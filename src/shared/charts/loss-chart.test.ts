import { describe, expect, it } from 'vitest';
import type { Series } from '../runs';
import { smoothCurve } from '../smooth';
import { figureFileName, lossChartOption, seriesColors } from './index';

const series = (name: string, n: number, divergedAt?: number): Series => ({
  name,
  metric: 'loss',
  key: {},
  x: Array.from({ length: n }, (_, i) => i),
  y: Array.from({ length: n }, (_, i) => 2.3 / (1 + i / 10)),
  ...(divergedAt !== undefined ? { divergedAt } : {}),
});

type LineLike = {
  id: string;
  name: string;
  data: [number, number][];
  lineStyle: { width: number; opacity?: number };
  color: string;
  markLine?: { label: { show: boolean; formatter: string } };
};

describe('lossChartOption', () => {
  it('draws per series a faint raw line and the bold Kaiser-smoothed curve, same name and colour', () => {
    const option = lossChartOption([series('SGD', 50), series('Adam', 50)], { xMax: 2000 });
    const lines = option.series as LineLike[];
    expect(lines.map((l) => l.id)).toEqual(['SGD:smoothed', 'SGD:raw', 'Adam:smoothed', 'Adam:raw']);
    const [smooth, raw] = lines;
    expect(smooth!.name).toBe(raw!.name);
    expect(smooth!.color).toBe(raw!.color);
    expect(raw!.lineStyle.opacity).toBeLessThan(0.5);
    expect(smooth!.lineStyle.width).toBeGreaterThan(raw!.lineStyle.width);
    expect(smooth!.data.map((p) => p[1])).toEqual(smoothCurve(series('SGD', 50).y));
    expect(raw!.data).toHaveLength(50);
    expect(option.yAxis).toMatchObject({ min: 0, max: 1 });
    expect(option.xAxis).toMatchObject({ max: 2000 });
    expect(option.animation).toBe(false);
    expect(option.dataZoom).toHaveLength(2);
  });

  it('marks where diverged series stopped, one label per iteration, and notes it in the legend', () => {
    const option = lossChartOption([series('SGD', 3, 3), series('Momentum', 3, 3), series('Adam', 20)]);
    const smoothed = (option.series as LineLike[]).filter((l) => l.id.endsWith(':smoothed'));
    expect(smoothed[0]!.markLine!.label).toMatchObject({ show: true, formatter: 'SGD, Momentum: diverged at it. 3' });
    expect(smoothed[1]!.markLine!.label.show).toBe(false);
    expect(smoothed[2]!.markLine).toBeUndefined();
    const legend = option.legend as { formatter: (name: string) => string };
    expect(legend.formatter('SGD')).toBe('SGD (diverged at it. 3)');
    expect(legend.formatter('Adam')).toBe('Adam');
  });

  it('builds a static figure without tooltip or zoom, and fits y when asked', () => {
    const option = lossChartOption([series('SGD', 20)], { interactive: false, yMax: null, title: 'Fig. 6-9' });
    expect(option.tooltip).toBeUndefined();
    expect(option.dataZoom).toBeUndefined();
    expect((option.yAxis as { max?: number }).max).toBeUndefined();
    expect(JSON.parse(JSON.stringify(option.title))).toMatchObject({ text: 'Fig. 6-9' });
  });
});

describe('seriesColors', () => {
  it("keeps the book's colours for the optimizers and hands out free ones to other names", () => {
    const [sgd, adam, other, another] = seriesColors(['SGD', 'Adam', 'x', 'y']);
    expect(sgd).toBe('#1f77b4');
    expect(adam).toBe('#d62728');
    expect(new Set([sgd, adam, other, another]).size).toBe(4);
  });
});

describe('figureFileName', () => {
  it('names the file after the experiment and the local start time, as savePng accepts', () => {
    const name = figureFileName('optimizers-mnist', new Date(2026, 10, 27, 13, 4));
    expect(name).toBe('optimizers-mnist-2026-11-27-1304.png');
    expect(figureFileName('a/b c', new Date(2026, 0, 2, 3, 4), 'loss')).toBe('a-b-c-loss-2026-01-02-0304.png');
    for (const n of [name, figureFileName('x'.repeat(300), undefined)]) expect(n).toMatch(/^[\w .,()+-]{1,120}\.png$/);
  });
});
