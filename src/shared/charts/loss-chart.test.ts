import { describe, expect, it } from 'vitest';
import type { Series } from '../runs';
import { defaultParams, figuresFor } from '../experiments';
import { emaCurve, smoothCurve } from '../smooth';
import { optimizerLossSeries } from '../slots/optimizers-mnist';
import { DEFAULT_CHART_VIEW, chartViewOf, figureFileName, lossChartOption, seriesColors } from './index';

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

describe('lossChartOption: smoothing and y axis', () => {
  const noisy = (name: string, n: number, divergedAt?: number): Series => ({
    ...series(name, n, divergedAt),
    y: Array.from({ length: n }, (_, i) => 2.3 / (1 + i / 10) + 0.2 * Math.sin(i * 1.7)),
  });
  const byId = (lines: LineLike[], id: string) => lines.find((l) => l.id === id)!;
  type Tip = (params: unknown) => string;

  it("draws the book's smoothing on a linear axis by default, the same option as asked for explicitly", () => {
    const input = [noisy('SGD', 40, 40), noisy('Adam', 40)];
    const plain = lossChartOption(input, { xMax: 100 });
    const explicit = lossChartOption(input, { xMax: 100, smoothing: 'book', emaWeight: 0.3, yScale: 'linear' });
    expect(JSON.stringify(explicit)).toBe(JSON.stringify(plain));
    expect(byId(plain.series as LineLike[], 'SGD:smoothed').data.map((p) => p[1])).toEqual(smoothCurve(input[0]!.y));
    expect(DEFAULT_CHART_VIEW).toEqual({ smoothing: 'book', emaWeight: 0.6, yScale: 'linear', fitY: false });
  });

  it("smooths with TensorBoard's debiased EMA at the given weight, keeping the faint raw line", () => {
    const s = noisy('SGD', 60);
    for (const weight of [0, 0.6, 0.95]) {
      const lines = lossChartOption([s], { smoothing: 'ema', emaWeight: weight }).series as LineLike[];
      expect(lines.map((l) => l.id)).toEqual(['SGD:smoothed', 'SGD:raw']);
      expect(byId(lines, 'SGD:smoothed').data.map((p) => p[1])).toEqual(emaCurve(s.y, weight));
      expect(byId(lines, 'SGD:smoothed').data.map((p) => p[0])).toEqual(s.x);
      expect(byId(lines, 'SGD:raw').data.map((p) => p[1])).toEqual(s.y);
      expect(byId(lines, 'SGD:raw').lineStyle.opacity).toBeLessThan(0.5);
    }
    // Out-of-range weights are clamped to TensorBoard's 0..0.99.
    const heavy = lossChartOption([s], { smoothing: 'ema', emaWeight: 5 }).series as LineLike[];
    expect(byId(heavy, 'SGD:smoothed').data.map((p) => p[1])).toEqual(emaCurve(s.y, 0.99));
    const none = lossChartOption([s], { smoothing: 'ema', emaWeight: -1 }).series as LineLike[];
    expect(byId(none, 'SGD:smoothed').data.map((p) => p[1])).toEqual(s.y);
  });

  it('draws the raw loss as the curve when smoothing is off, with the diverged mark and a raw-only tooltip', () => {
    const option = lossChartOption([noisy('SGD', 30, 30), noisy('Adam', 30)], { smoothing: 'off' });
    const lines = option.series as LineLike[];
    expect(lines.map((l) => l.id)).toEqual(['SGD:raw', 'Adam:raw']);
    expect(lines[0]!.lineStyle.opacity).toBeUndefined();
    expect(lines[0]!.lineStyle.width).toBeGreaterThan(1);
    expect(lines[0]!.data.map((p) => p[1])).toEqual(noisy('SGD', 30).y);
    expect(lines[0]!.markLine!.label).toMatchObject({ show: true, formatter: 'SGD: diverged at it. 30' });
    const tip = (option.tooltip as { formatter: Tip }).formatter([
      { seriesId: 'SGD:raw', seriesName: 'SGD', color: '#123456', value: [3, 0.25], axisValue: 3 },
    ]);
    expect(tip).toContain('raw 0.2500');
    expect(tip).not.toContain('smoothed');
  });

  it('puts the loss on a log axis fitted to the data, leaving out points at or below 0', () => {
    const s: Series = { ...series('SGD', 5), y: [2.3, 0.5, 0, -1, 1e-3] };
    for (const smoothing of ['book', 'ema', 'off'] as const) {
      const option = lossChartOption([s], { smoothing, yScale: 'log', yMax: 1 });
      const axis = option.yAxis as { type: string; min?: unknown; max?: unknown; axisLabel: { formatter: Tip } };
      expect(axis.type).toBe('log');
      expect(axis.min).toBeUndefined();
      expect(axis.max).toBeUndefined();
      expect(axis.axisLabel.formatter(0.01)).toBe('0.01');
      expect(axis.axisLabel.formatter(1e-5)).toBe('1e-5');
      const raw = byId(option.series as LineLike[], 'SGD:raw').data.map((p) => p[1]);
      expect(raw).toEqual([2.3, 0.5, Number.NaN, Number.NaN, 1e-3]);
    }
    const linear = lossChartOption([s], { yScale: 'linear' });
    expect(linear.yAxis).toMatchObject({ type: 'value', min: 0, max: 1 });
    expect(byId(linear.series as LineLike[], 'SGD:raw').data.map((p) => p[1])).toEqual(s.y);
  });

  it('reaches the loss figure through figuresFor, per chart key, and says which controls it offers', () => {
    const losses = (['SGD', 'Momentum', 'AdaGrad', 'Adam'] as const).map((o) => ({
      ...optimizerLossSeries(o),
      x: [0, 1, 2, 3],
      y: [2.3, 1.2, 0.6, 0.3],
    }));
    const input = { experiment: 'optimizers-mnist', series: losses, params: defaultParams('optimizers-mnist') };
    const [book] = figuresFor(input);
    expect(book!.controls).toEqual({ smoothing: true, logY: true, fitY: true });
    expect(book!.series).toEqual(losses);
    const asked: string[] = [];
    const [ema] = figuresFor(input, {
      view: (key) => (asked.push(key), { smoothing: 'ema', emaWeight: 0.5, yScale: 'log', fitY: false }),
    });
    expect(new Set(asked)).toEqual(new Set(['loss']));
    expect(ema!.option.yAxis).toMatchObject({ type: 'log' });
    const smoothed = (ema!.option.series as LineLike[]).find((l) => l.id === 'SGD:smoothed')!;
    expect(smoothed.data.map((p) => p[1])).toEqual(emaCurve(losses[0]!.y, 0.5));
    // Charts without a loss offer no controls.
    const [accuracy] = figuresFor({ experiment: 'weight-decay', series: [], params: defaultParams('weight-decay') });
    expect(accuracy!.controls).toBeUndefined();
  });
});

describe('lossChartOption: the y range', () => {
  type Axis = { type: string; min?: number; max?: number };
  type Line = LineLike & { showSymbol?: boolean; symbol?: string };
  const axisOf = (option: unknown) => (option as { yAxis: Axis }).yAxis;
  const linesOf = (option: unknown) => (option as { series: Line[] }).series;
  /** A slow learner: the loss stays between 2.1 and 2.4, above the book's top of 1. */
  const slow = (name: string, n: number): Series => ({
    ...series(name, n),
    y: Array.from({ length: n }, (_, i) => 2.3 - i / (2 * n) + 0.05 * Math.sin(i)),
  });
  const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));

  it("keeps the book's range while every curve shows in it, and widens it for a curve that stays above", () => {
    expect(axisOf(lossChartOption([series('Adam', 50)]))).toMatchObject({ min: 0, max: 1 });
    for (const smoothing of ['book', 'ema', 'off'] as const) {
      const option = lossChartOption([series('Adam', 50), slow('SGD', 40)], { smoothing });
      const { min, max } = axisOf(option);
      expect(max).toBe(2.5);
      expect(min).toBe(0);
      const main = linesOf(option).find((l) => l.id === (smoothing === 'off' ? 'SGD:raw' : 'SGD:smoothed'))!;
      for (const y of main.data.map((p) => p[1])) expect(y).toBeLessThanOrEqual(max!);
    }
    // The book's own top stays when it is higher (Fig. 6-15's 2.5) or when the axis is logarithmic.
    expect(axisOf(lossChartOption([slow('std', 30)], { yMax: 2.5 }))).toMatchObject({ min: 0, max: 2.5 });
    expect(axisOf(lossChartOption([slow('SGD', 30)], { yScale: 'log' })).max).toBeUndefined();
  });

  it('draws a series of one point as its symbol, inside the axis', () => {
    for (const smoothing of ['book', 'off'] as const) {
      const option = lossChartOption([series('SGD', 1), series('Adam', 50)], { smoothing });
      const sgd = linesOf(option).filter((l) => l.name === 'SGD');
      expect(sgd.length).toBeGreaterThan(0);
      for (const line of sgd) {
        expect(line.showSymbol).toBe(true);
        expect(line.symbol).not.toBe('none');
      }
      expect(
        linesOf(option)
          .filter((l) => l.name === 'Adam')
          .every((l) => l.symbol === 'none'),
      ).toBe(true);
      // Its only value, 2.3, is above the book's 1: the axis takes it in.
      expect(axisOf(option).max).toBe(2.5);
    }
  });

  it('ignores NaN and ±Infinity: gaps in the curves, never an axis end', () => {
    const y = [Number.NaN, Number.POSITIVE_INFINITY, 0.8, Number.NEGATIVE_INFINITY, 0.5, 0.4];
    const broken: Series = { ...series('SGD', y.length), y };
    const option = lossChartOption([broken], { smoothing: 'off' });
    expect(axisOf(option)).toMatchObject({ min: 0, max: 1 });
    expect(linesOf(option)[0]!.data.map((p) => p[1])).toEqual([Number.NaN, Number.NaN, 0.8, Number.NaN, 0.5, 0.4]);
    // A series with nothing finite leaves the axis as the book has it, in every view.
    const nothing: Series = { ...series('Adam', 3), y: [Number.NaN, Number.POSITIVE_INFINITY, Number.NaN] };
    for (const smoothing of ['book', 'ema', 'off'] as const)
      expect(axisOf(lossChartOption([nothing], { smoothing }))).toMatchObject({ min: 0, max: 1 });
    const [fitted] = figuresFor(
      { experiment: 'optimizers-mnist', series: [{ ...optimizerLossSeries('SGD'), ...nothing }] },
      { view: () => ({ ...DEFAULT_CHART_VIEW, fitY: true }) },
    );
    expect(axisOf(fitted!.option)).toMatchObject({ min: 0, max: 1 });
  });

  it('fits the axis to the data drawn when the view asks (fitY), leaving a log axis alone', () => {
    const losses = (['SGD', 'Adam'] as const).map((o, k) => ({
      ...optimizerLossSeries(o),
      x: [0, 1, 2, 3, 4],
      y: [0.42, 0.4, Number.POSITIVE_INFINITY, 0.35, 0.3].map((v) => v - k / 100),
    }));
    const input = { experiment: 'optimizers-mnist', series: losses, params: defaultParams('optimizers-mnist') };
    const viewOf = (view: Partial<typeof DEFAULT_CHART_VIEW>) => () => ({ ...DEFAULT_CHART_VIEW, ...view });
    const [book] = figuresFor(input);
    expect(axisOf(book!.option)).toMatchObject({ min: 0, max: 1 });
    const [fit] = figuresFor(input, { view: viewOf({ fitY: true }) });
    const axis = axisOf(fit!.option);
    expect(axis).toMatchObject({ type: 'value', min: 0.25, max: 0.45 });
    const drawn = finite(linesOf(fit!.option).flatMap((l) => l.data.map((p) => p[1])));
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(axis.min!);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(axis.max!);
    const [log] = figuresFor(input, { view: viewOf({ fitY: true, yScale: 'log' }) });
    expect(axisOf(log!.option)).toMatchObject({ type: 'log' });
    expect(axisOf(log!.option).max).toBeUndefined();
  });
});

describe('chartViewOf', () => {
  it('completes and repairs a stored view', () => {
    expect(chartViewOf(undefined)).toEqual(DEFAULT_CHART_VIEW);
    // A view stored before fitY existed gets the book's range.
    expect(chartViewOf({ smoothing: 'ema', emaWeight: 2, yScale: 'log' })).toEqual({
      smoothing: 'ema',
      emaWeight: 0.99,
      yScale: 'log',
      fitY: false,
    });
    expect(chartViewOf({ smoothing: 'off', fitY: true })).toMatchObject({ smoothing: 'off', fitY: true });
    expect(chartViewOf({ smoothing: 'gauss', emaWeight: 'x', yScale: 'sqrt', fitY: 'yes' })).toEqual(
      DEFAULT_CHART_VIEW,
    );
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
  it('names the file after the experiment and the local start time, as saveFile accepts', () => {
    const name = figureFileName('optimizers-mnist', new Date(2026, 10, 27, 13, 4));
    expect(name).toBe('optimizers-mnist-2026-11-27-1304.png');
    expect(figureFileName('a/b c', new Date(2026, 0, 2, 3, 4), 'loss')).toBe('a-b-c-loss-2026-01-02-0304.png');
    for (const n of [name, figureFileName('x'.repeat(300), undefined)]) expect(n).toMatch(/^[\w .,()+-]{1,120}\.png$/);
    expect(figureFileName('x'.repeat(300), undefined, 'loss', 'json')).toMatch(/^[\w .,()+-]{1,120}\.json$/);
    expect(figureFileName('init-mnist', new Date(2026, 0, 2, 3, 4), 'loss', 'csv')).toBe(
      'init-mnist-loss-2026-01-02-0304.csv',
    );
  });
});
