import { describe, expect, it } from 'vitest';
import { bestTrialLine } from '../book-format';
import { defaultParams, figuresFor } from '../experiments';
import type { Series } from '../runs';
import type { SeriesId } from '../series';
import { batchNormSeries, weightScales } from '../slots/batch-norm';
import { dropoutSeries } from '../slots/dropout';
import { trialSeries } from '../slots/hyperparameter-search';
import { activationSeries } from '../slots/init-activations';
import { initLossSeries } from '../slots/init-mnist';
import { optimizerPathSeries } from '../slots/optimizer-paths';
import { weightDecaySeries } from '../slots/weight-decay';
import { batchNormPanels, trainTestPanels } from './accuracy';
import { contourLines } from './contour';
import type { ChartDefinition } from './figures';
import { histogramGroups, layerStats } from './histograms';
import { type Trace, pathPointText } from './optimizer-paths';
import { bookTrialLine, trialRows } from './search';
import { englishText } from './text';
import type { WeightInit } from '../params';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const curve = ({ name, metric, key }: SeriesId, n: number, f: (i: number) => number = (i) => i / n): Series => ({
  name,
  metric,
  key,
  x: range(n),
  y: range(n).map(f),
});

type AnySeries = {
  id?: string;
  name?: string;
  type?: string;
  data?: unknown[];
  xAxisIndex?: number;
  areaStyle?: unknown;
  lineStyle?: { type?: string };
};
const seriesOf = (chart: ChartDefinition) => (chart.option as { series: AnySeries[] }).series;
const gridsOf = (chart: ChartDefinition) => (chart.option as { grid: unknown[] }).grid;

describe('figuresFor', () => {
  it('gives every experiment its charts, with sizes and the points they draw', () => {
    const paths = figuresFor({
      experiment: 'optimizer-paths',
      series: (['SGD', 'Momentum', 'AdaGrad', 'Adam'] as const).map((name) => curve(optimizerPathSeries(name), 31)),
      params: defaultParams('optimizer-paths'),
    });
    expect(paths.map((c) => c.key)).toEqual(['paths-overlay', 'paths-panels']);
    expect(paths.map((c) => c.points)).toEqual([124, 124]);
    expect(paths[0]!.interaction).toEqual({
      kind: 'pick-point',
      x: [-10, 10],
      y: [-5, 5],
      params: { x: 'startX', y: 'startY' },
    });
    // The book's 2x2 panels: four grids, each with the contour, the minimum and its optimizer's path.
    expect(gridsOf(paths[1]!)).toHaveLength(4);
    expect(
      seriesOf(paths[1]!)
        .filter((s) => s.id?.startsWith('path:'))
        .map((s) => s.xAxisIndex),
    ).toEqual([0, 1, 2, 3]);

    const loss = figuresFor({
      experiment: 'init-mnist',
      series: (['he', 0.01, 'xavier'] as const).map((i) => curve(initLossSeries(i), 50)),
      params: { iterations: 2000 },
    });
    expect(loss.map((c) => [c.key, c.points])).toEqual([['loss', 150]]);
    expect((loss[0]!.option as { yAxis: { max: number } }).yAxis.max).toBe(2.5);
    // The book's legend order whatever order the series arrived in.
    expect(
      seriesOf(loss[0]!)
        .filter((s) => s.id?.endsWith(':smoothed'))
        .map((s) => s.name),
    ).toEqual(['std=0.01', 'Xavier', 'He']);

    for (const c of [...paths, ...loss]) {
      expect(c.width).toBeGreaterThan(0);
      expect(c.height).toBeGreaterThan(0);
      expect(c.title).not.toBe('');
    }
  });

  it('draws the Batch Norm grid for every scale of the run before its points arrive', () => {
    const [grid] = figuresFor({
      experiment: 'batch-norm',
      series: [curve(batchNormSeries(true, weightScales(16)[1]!), 3)],
      params: { scales: 16, epochs: 20 },
    });
    expect(grid!.key).toBe('batch-norm-grid');
    expect(gridsOf(grid!)).toHaveLength(16);
    expect(grid!.points).toBe(3);
    expect((grid!.option as { xAxis: { max: number }[] }).xAxis[0]!.max).toBe(20);
  });

  it('makes a histogram row per activation and init, or the one grid', () => {
    const layers = (activation: 'sigmoid' | 'tanh' | 'relu', init: WeightInit) =>
      range(5).map((k) => curve(activationSeries(activation, init, k + 1), 30));
    const rows = figuresFor({
      experiment: 'init-activations',
      series: layers('sigmoid', 1),
      params: { grid: false, range: 'unit' },
    });
    expect(rows.map((c) => [c.key, c.points])).toEqual([['histograms-sigmoid-1', 150]]);
    const all = (['sigmoid', 'tanh', 'relu'] as const).flatMap((a) =>
      ([1, 0.01, 'xavier', 'he'] as const).flatMap((i) => layers(a, i)),
    );
    const grid = figuresFor({ experiment: 'init-activations', series: all, params: { grid: true, range: 'unit' } });
    expect(grid.map((c) => [c.key, c.points])).toEqual([['histogram-grid', 60 * 30]]);
    expect(gridsOf(grid[0]!)).toHaveLength(60);
  });

  it('shades the gap of weight decay and dropout, the baseline on the left', () => {
    const series = [0.1, 0].flatMap((lambda) =>
      (['train', 'test'] as const).map((split) => curve(weightDecaySeries(lambda, split), 11)),
    );
    const [chart] = figuresFor({ experiment: 'weight-decay', series, params: { lambda: 0.1, epochs: 10 } });
    expect(chart!.points).toBe(44);
    const titles = (chart!.option as { title: { text: string }[] }).title.map((t) => t.text);
    expect(titles.indexOf('λ = 0 (overfitting)')).toBeLessThan(titles.indexOf('λ = 0.1 (weight decay)'));
    expect(seriesOf(chart!).filter((s) => s.areaStyle)).toHaveLength(2);
  });

  it('draws the search as a scatter (brushable) and the best trials grid', () => {
    const sampled = (k: number) => ({ lr: 10 ** (-6 + k / 6), weightDecay: 1e-8 * (k + 1) });
    const series = range(25).flatMap((k) => [
      curve(trialSeries(k + 1, 'train', sampled(k)), 4, () => k / 30),
      curve(trialSeries(k + 1, 'validation', sampled(k)), 4, () => k / 25),
    ]);
    const [scatter, best] = figuresFor({
      experiment: 'hyperparameter-search',
      series,
      params: { lrMin: 1e-6, lrMax: 1e-2, weightDecayMin: 1e-8, weightDecayMax: 1e-4, epochs: 3 },
    });
    expect(scatter!.interaction).toEqual({
      kind: 'brush-region',
      params: { x: ['lrMin', 'lrMax'], y: ['weightDecayMin', 'weightDecayMax'] },
    });
    expect(scatter!.points).toBe(25);
    expect((scatter!.option as { xAxis: { type: string; min: number } }).xAxis).toMatchObject({
      type: 'log',
      min: 1e-6,
    });
    expect(gridsOf(best!)).toHaveLength(20);
    expect(best!.points).toBe(20 * 2 * 4);
  });

  it('builds static images without tooltips or brushes, titles inside', () => {
    const [scatter] = figuresFor(
      { experiment: 'hyperparameter-search', series: [], params: {} },
      { interactive: false, embedTitle: true },
    );
    const option = scatter!.option as { tooltip?: unknown; brush?: unknown; title: { text: string }[] };
    expect(option.tooltip).toBeUndefined();
    expect(option.brush).toBeUndefined();
    expect(option.title[0]!.text).toBe(englishText('search.scatter'));
  });
});

describe('contourLines', () => {
  it('traces the ellipses of x²/20 + y² as closed polylines on the level', () => {
    const [level] = contourLines((x, y) => (x * x) / 20 + y * y, {
      x: [-10, 10],
      y: [-5, 5],
      levels: [1],
      nx: 120,
      ny: 60,
    });
    expect(level!.lines).toHaveLength(1);
    const line = level!.lines[0]!;
    expect(line.length).toBeGreaterThan(50);
    for (const [x, y] of line) expect((x * x) / 20 + y * y).toBeCloseTo(1, 1);
    expect(line[0]![0]).toBeCloseTo(line.at(-1)![0], 6);
    expect(line[0]![1]).toBeCloseTo(line.at(-1)![1], 6);
  });
});

describe('the parts of the figures', () => {
  it('reads each layer’s statistics under its series name', () => {
    const [group] = histogramGroups([
      curve(activationSeries('relu', 'he', 2), 3),
      curve(activationSeries('relu', 'he', 1), 3),
    ]);
    expect(group!.layers.map((s) => s.name)).toEqual(['relu|he|layer 1', 'relu|he|layer 2']);
    const stats = { mean: 0.5, std: 0.8, saturated: null, zero: 50.1, outsideRange: 0 };
    expect(layerStats({ 'relu|he|layer 2': stats }, group!)).toEqual([undefined, stats]);
  });

  it('puts each Batch Norm series in the panel of its scale', () => {
    const panels = batchNormPanels(
      [curve(batchNormSeries(false, 0.5411695265464637), 2)],
      [1, 0.5411695265464637, 0.29286445646252357],
      englishText,
    );
    expect(panels.map((p) => p.title)).toEqual(['W:1', 'W:0.541', 'W:0.293']);
    expect(panels[1]!.curves.map((c) => c.series?.name)).toEqual([undefined, 'Normal|std=0.541']);
  });

  it('puts the run without regularisation first', () => {
    const series = [0.2, 0].map((ratio) => curve(dropoutSeries(ratio, 'train'), 2));
    const panels = trainTestPanels(
      series,
      englishText,
      (s) => s.key.dropoutRatio,
      (ratio) => `ratio ${ratio}`,
    );
    expect(panels.map((p) => p.title)).toEqual(['ratio 0', 'ratio 0.2']);
  });

  it('ranks trials by their last validation accuracy in the book’s words', () => {
    const series = [
      curve(trialSeries(1, 'validation', { lr: 0.000001, weightDecay: 1e-8 }), 3, (i) => i / 10),
      curve(trialSeries(2, 'validation', { lr: 0.009234, weightDecay: 3.81e-7 }), 3, () => 0.83),
    ];
    const rows = trialRows(series, null);
    expect(rows.map((r) => r.trial)).toEqual([2, 1]);
    expect(bookTrialLine(1, rows[0]!)).toBe('Best-1(val acc:0.83) | lr:0.0092, weight decay:3.8e-07');
    expect(bookTrialLine(1, rows[0]!)).toBe(
      bestTrialLine(1, { validationAccuracy: 0.83, lr: 0.009234, weightDecay: 3.81e-7 }),
    );
    // The summary's values win at the end of the run.
    const final = trialRows(series, {
      trials: [{ trial: 1, lr: 0.5, weightDecay: 1e-5, validationAccuracy: 0.9, trainAccuracy: 1 }],
    });
    expect(final[0]).toMatchObject({ trial: 1, lr: 0.5, validationAccuracy: 0.9 });
  });

  it('shows a path point’s step, position, gradient and the optimizer’s state', () => {
    const trace: Trace = {
      Adam: [
        { step: 0, x: -7, y: 2, gradient: [-0.7, 4], state: {} },
        { step: 1, x: -6.7, y: 1.7, gradient: [-0.67, 3.4], state: { m: [-0.07, 0.4], v: [0.00049, 0.016] } },
      ],
    };
    const text = pathPointText('Adam', 1, [-6.7, 1.7], trace, englishText);
    expect(text).toContain('step 1');
    expect(text).toContain('(-6.7, 1.7)');
    expect(text).toContain('∇f = (-0.67, 3.4)');
    expect(text).toContain('m = (-0.07, 0.4)');
    expect(text).toContain('v = (4.900e-4, 0.016)');
  });
});
