import type { Series } from '../runs';
import { type AccuracyOptions, type AccuracyPanel, TEST_COLOR, TRAIN_COLOR, accuracyPanelsOption, batchNormPanels, logspace, trainTestPanels } from './accuracy';
import { guessRange, histogramGridOption, histogramGroups, histogramRowOption, initLabel, activationLabel, layerStats } from './histograms';
import { type LossChartOption, lossChartOption } from './loss-chart';
import { PATH_BOUNDS, optimizerPathsOption, traceOf } from './optimizer-paths';
import { type FigureOption, countPoints } from './panels';
import { type Range, bestTrialPanels, searchScatterOption, trialRows } from './search';
import { type Translate, englishText } from './text';

/**
 * The figures of every experiment: for a run (its record, or the points a live run has streamed so
 * far) the list of charts to draw, each an ECharts option with its size. The lab's window and the
 * headless `lab figures` command both draw exactly these.
 */

export interface FigureInput {
  experiment: string;
  series: readonly Series[];
  summary?: Record<string, unknown> | null;
  params?: Record<string, unknown> | null;
  /** A run that ended early is drawn over the steps it reached. */
  status?: string | null;
  totalSteps?: number | null;
  /** Log lines of a live run (the search names its trials' hyper-parameters there). */
  log?: readonly string[];
  /** The parameters the form holds now (the next run's): the paths mark a new start point. */
  draft?: Record<string, unknown> | null;
}

/** What a chart lets the user do besides looking: pick a point (the start of the paths), brush a region. */
export type ChartInteraction =
  | { kind: 'pick-point'; x: [number, number]; y: [number, number] }
  | { kind: 'brush-region'; x: 'lr'; y: 'weightDecay' };

export interface ChartDefinition {
  /** Stable per experiment: data-testid chart-<key>, export-png-<key>, file names. */
  key: string;
  title: string;
  option: FigureOption | LossChartOption;
  /** Pixel size for a headless rendering; the window draws at its own width and this height. */
  width: number;
  height: number;
  /** How many data points the chart draws (the data-points attribute). */
  points: number;
  interaction?: ChartInteraction;
  /** The chart means something before any point exists (the contour to click a start on). */
  drawsWithoutData?: boolean;
}

export interface FigureOptions {
  /** The figure text in the UI language (keys of FIGURE_TEXT). Default English. */
  t?: Translate;
  /** Tooltips, legend toggles, zoom, brush. Default true; false for a static image. */
  interactive?: boolean;
  /** Draw the title inside the chart (a standalone image); the window shows it above instead. */
  embedTitle?: boolean;
}

interface Context {
  input: FigureInput;
  t: Translate;
  interactive: boolean;
  embed: boolean;
  params: Record<string, unknown>;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The x axis end of a run that goes on: the run's length; a run that ended early fits its data. */
function frameEnd(ctx: Context, ...names: string[]): number | undefined {
  const status = ctx.input.status;
  if (status && status !== 'running' && status !== 'completed') return undefined;
  for (const name of names) {
    const value = num(ctx.params[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function lossFigure(ctx: Context, title: string, yMax: number | null, order: string[]): ChartDefinition {
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  const series = [...ctx.input.series].filter((s) => s.metric === 'loss').sort((a, b) => rank(a.name) - rank(b.name));
  const status = ctx.input.status;
  const early = status && status !== 'running' && status !== 'completed';
  const xMax = early ? undefined : (num(ctx.input.totalSteps) ?? num(ctx.params.iterations));
  const option = lossChartOption(series, {
    xMax,
    yMax,
    interactive: ctx.interactive,
    title: ctx.embed ? title : undefined,
    labels: {
      xAxis: ctx.t('iterations'),
      yAxis: ctx.t('loss'),
      raw: ctx.t('raw'),
      smoothed: ctx.t('smoothed'),
      diverged: (at) => ctx.t('diverged', { at }),
    },
  });
  return { key: 'loss', title, option, width: 900, height: 420, points: countPoints(series) };
}

const names = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((o) => (typeof o === 'string' ? o : String((o as { name?: unknown })?.name))) : [];

function optimizerPathsFigures(ctx: Context): ChartDefinition[] {
  const order = names(ctx.params.optimizers);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const series = [...ctx.input.series].filter((s) => s.metric === 'path').sort((a, b) => rank(a.name) - rank(b.name));
  const trace = traceOf(ctx.input.summary);
  const draft = ctx.input.draft;
  const next: [number, number] | undefined =
    num(draft?.startX) !== undefined && num(draft?.startY) !== undefined ? [num(draft!.startX)!, num(draft!.startY)!] : undefined;
  const shown = series[0] ? [series[0].x[0], series[0].y[0]] : [num(ctx.params.startX), num(ctx.params.startY)];
  const pendingStart = next && (next[0] !== shown[0] || next[1] !== shown[1]) ? next : undefined;
  const pick: ChartInteraction = { kind: 'pick-point', x: PATH_BOUNDS.x, y: PATH_BOUNDS.y };
  const make = (view: 'overlay' | 'panels', title: string, height: number): ChartDefinition => ({
    key: `paths-${view}`,
    title,
    option: optimizerPathsOption(series, {
      t: ctx.t,
      view,
      height,
      trace,
      interactive: ctx.interactive,
      title: ctx.embed ? title : undefined,
      ...(view === 'overlay' && pendingStart ? { pendingStart } : {}),
    }),
    width: 900,
    height,
    points: countPoints(series),
    interaction: pick,
    drawsWithoutData: view === 'overlay',
  });
  const rows = series.length <= 2 ? 1 : series.length <= 4 ? 2 : 2;
  return [make('overlay', ctx.t('paths.overlay'), 520), make('panels', ctx.t('paths.panels'), 120 + rows * 260)];
}

function initActivationsFigures(ctx: Context): ChartDefinition[] {
  const groups = histogramGroups(ctx.input.series);
  const range = guessRange(groups, ctx.params.range);
  const layers = num(ctx.params.layers) ?? num(ctx.params.layerCount);
  if (ctx.params.grid === true) {
    const title = ctx.t('histograms.grid');
    const activations = new Set(groups.map((g) => g.activation)).size || 3;
    const height = 90 + activations * 190;
    return [
      {
        key: 'histogram-grid',
        title,
        option: histogramGridOption(groups, { t: ctx.t, range, height, layers, interactive: ctx.interactive, title: ctx.embed ? title : undefined }),
        width: 1500,
        height,
        points: countPoints(groups.flatMap((g) => g.layers)),
      },
    ];
  }
  return groups.map((group) => {
    const title = ctx.t('histograms.title', { activation: activationLabel(group.activation), init: initLabel(group.init) });
    const height = 300;
    return {
      key: `histograms-${group.activation}-${group.init}`.replace(/[^\w.-]+/g, '-'),
      title,
      option: histogramRowOption(group, layerStats(ctx.input.summary, group), {
        t: ctx.t,
        range,
        height,
        layers,
        interactive: ctx.interactive,
        title: ctx.embed ? title : undefined,
      }),
      width: 1100,
      height,
      points: countPoints(group.layers),
    };
  });
}

interface AccuracyFigure {
  key: string;
  title: string;
  panels: AccuracyPanel[];
  layout: AccuracyOptions['layout'];
  /** The two curves' legend names; the second one is dashed where `dashed`. */
  legend: [string, string];
  dashed: boolean;
  width: number;
  height: number;
}

function accuracyFigure(ctx: Context, figure: AccuracyFigure): ChartDefinition {
  const { key, title, panels, layout, legend, dashed, width, height } = figure;
  return {
    key,
    title,
    option: accuracyPanelsOption(panels, {
      t: ctx.t,
      title: ctx.embed ? title : undefined,
      interactive: ctx.interactive,
      height,
      xMax: frameEnd(ctx, 'epochs'),
      layout,
      legend: [
        { name: legend[0], color: TRAIN_COLOR },
        { name: legend[1], color: TEST_COLOR, dashed },
      ],
    }),
    width,
    height,
    points: countPoints(panels.flatMap((p) => p.curves.flatMap((c) => (c.series ? [c.series] : [])))),
  };
}

/** The weight scales of a Batch Norm run: a list in the params, or a count of scales from 1 to 1e-4. */
function batchNormStds(params: Record<string, unknown>): number[] {
  for (const [name, value] of Object.entries(params)) {
    if (/std|scale/i.test(name) && Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  }
  for (const [name, value] of Object.entries(params)) {
    if (/std|scale/i.test(name) && typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 64) return logspace(0, -4, value);
  }
  return [];
}

function batchNormFigure(ctx: Context): ChartDefinition {
  const panels = batchNormPanels(ctx.input.series, batchNormStds(ctx.params), ctx.t);
  return accuracyFigure(ctx, {
    key: 'batch-norm-grid',
    title: ctx.t('batchNorm.title'),
    panels,
    layout: { cols: 4, bottom: 44, left: 7, right: 2, gapX: 3, gapY: 40 },
    legend: [ctx.t('batchNorm.withBn'), ctx.t('batchNorm.without')],
    dashed: true,
    width: 1000,
    height: 110 + Math.max(1, Math.ceil(panels.length / 4)) * 170,
  });
}

function trainTestFigure(ctx: Context, title: string, isBaseline: (group: string) => boolean, panelTitle: (group: string) => string): ChartDefinition {
  return accuracyFigure(ctx, {
    key: 'accuracy',
    title,
    panels: trainTestPanels(ctx.input.series, ctx.t, isBaseline, panelTitle),
    layout: { cols: 2, bottom: 60, left: 7, right: 2, gapX: 6, gapY: 0 },
    legend: [ctx.t('gap.train'), ctx.t('gap.test')],
    dashed: false,
    width: 1000,
    height: 420,
  });
}

const groupValue = (group: string) => group.replace(/^[^\d-]*/, '');

function weightDecayFigure(ctx: Context): ChartDefinition {
  const lambda = num(ctx.params.lambda);
  const isBaseline = (group: string) => Number(groupValue(group)) === 0;
  return trainTestFigure(
    ctx,
    ctx.t('gap.weightDecay', { lambda: lambda ?? '' }),
    isBaseline,
    (group) => (isBaseline(group) ? ctx.t('gap.noDecay') : ctx.t('gap.decay', { lambda: groupValue(group) })),
  );
}

function dropoutFigure(ctx: Context): ChartDefinition {
  const isBaseline = (group: string) => /^no\b/i.test(group);
  return trainTestFigure(ctx, ctx.t('gap.dropoutTitle'), isBaseline, (group) =>
    isBaseline(group) ? ctx.t('gap.noDropout') : ctx.t('gap.dropout', { ratio: groupValue(group) }),
  );
}

/** The searched ranges from the params (lrMin/lrMax, weightDecayMin/Max, or [min, max] pairs). */
export function searchRanges(params: Record<string, unknown>): { lr?: Range; weightDecay?: Range } {
  const range = (name: string): Range | undefined => {
    const min = num(params[`${name}Min`]);
    const max = num(params[`${name}Max`]);
    if (min !== undefined && max !== undefined) return { min, max };
    const pair = params[name] ?? params[`${name}Range`];
    if (Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === 'number')) return { min: pair[0] as number, max: pair[1] as number };
    return undefined;
  };
  const out: { lr?: Range; weightDecay?: Range } = {};
  const lr = range('lr');
  const wd = range('weightDecay');
  if (lr) out.lr = lr;
  if (wd) out.weightDecay = wd;
  return out;
}

const BEST_COUNT = 20;

function searchFigures(ctx: Context): ChartDefinition[] {
  const rows = trialRows(ctx.input.series, ctx.input.summary, ctx.input.log);
  const scatterTitle = ctx.t('search.scatter');
  const ranges = searchRanges(ctx.params);
  const bestCount = Math.min(BEST_COUNT, rows.length);
  const bestTitle = ctx.t('search.best', { n: bestCount || BEST_COUNT });
  const panels = bestTrialPanels(rows, BEST_COUNT, ctx.t);
  const gridRows = Math.max(1, Math.ceil(panels.length / 5));
  return [
    {
      key: 'search-scatter',
      title: scatterTitle,
      option: searchScatterOption(rows, {
        t: ctx.t,
        title: ctx.embed ? scatterTitle : undefined,
        interactive: ctx.interactive,
        ...(ranges.lr ? { lr: ranges.lr } : {}),
        ...(ranges.weightDecay ? { weightDecay: ranges.weightDecay } : {}),
      }),
      width: 800,
      height: 480,
      points: rows.filter((r) => r.lr !== undefined && r.weightDecay !== undefined && r.validationAccuracy !== undefined).length,
      interaction: { kind: 'brush-region', x: 'lr', y: 'weightDecay' },
    },
    accuracyFigure(ctx, {
      key: 'search-best',
      title: bestTitle,
      panels,
      layout: { cols: 5, bottom: 44, left: 6, right: 2, gapX: 2.5, gapY: 36 },
      legend: [ctx.t('search.validation'), ctx.t('search.train')],
      dashed: true,
      width: 1000,
      height: 100 + gridRows * 150,
    }),
  ];
}

export function figuresFor(input: FigureInput, options: FigureOptions = {}): ChartDefinition[] {
  const t = options.t ?? englishText;
  const ctx: Context = { input, t, interactive: options.interactive ?? true, embed: options.embedTitle ?? false, params: input.params ?? {} };
  switch (input.experiment) {
    case 'optimizers-mnist':
      return [lossFigure(ctx, t('lossTitle'), 1, names(ctx.params.optimizers))];
    case 'init-mnist':
      return [lossFigure(ctx, t('lossInitTitle'), 2.5, ['std=0.01', 'Xavier', 'He'])];
    case 'optimizer-paths':
      return optimizerPathsFigures(ctx);
    case 'init-activations':
      return initActivationsFigures(ctx);
    case 'batch-norm':
      return [batchNormFigure(ctx)];
    case 'weight-decay':
      return [weightDecayFigure(ctx)];
    case 'dropout':
      return [dropoutFigure(ctx)];
    case 'hyperparameter-search':
      return searchFigures(ctx);
    default:
      // A run of an experiment this version does not know still shows its series as curves.
      return [lossFigure(ctx, t('lossTitle'), null, [])];
  }
}

