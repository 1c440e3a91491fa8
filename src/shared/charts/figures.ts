import type { Series } from '../runs';
import { type ChartControls, type ChartView, DEFAULT_CHART_VIEW } from './chart-view';
import { type AccuracyOptions, type AccuracyPanel, TEST_COLOR, TRAIN_COLOR, accuracyPanelsOption } from './accuracy';
import { type LossChartOption, type LossChartOptions, lossChartOption } from './loss-chart';
import { type FigureOption, countPoints } from './panels';
import type { Translate } from './text';

/**
 * What every experiment's figures are made of: the input (a run's record, or the points a live run
 * has streamed so far), the chart definition each figure returns, and the builders several
 * experiments share (the loss figure, accuracy panels). Each experiment's slot (src/shared/slots/)
 * picks its figures from these; the lab's window and the headless `lab figures` draw exactly those.
 */

export interface FigureInput<P> {
  series: readonly Series[];
  summary: Record<string, unknown> | null;
  /** The run's parameters (validated); null only for a record whose parameters no longer validate. */
  params: P | null;
  /** A run that ended early is drawn over the steps it reached. */
  status: string | null;
  totalSteps: number | null;
  /** The parameters the form holds now (the next run's): the paths mark a new start point. */
  draft: P | null;
}

/**
 * What a chart lets the user do besides looking, and the parameters it sets: pick a point (the start
 * of the paths: `params.x`, `params.y`), brush a region (the search's ranges: [min, max] parameter
 * names along x and y).
 */
export type ChartInteraction =
  | { kind: 'pick-point'; x: [number, number]; y: [number, number]; params: { x: string; y: string } }
  | { kind: 'brush-region'; params: { x: [string, string]; y: [string, string] } };

export interface ChartDefinition {
  /** Stable per experiment: data-testid chart-<key>, export-<png|svg|csv|json>-<key>, file names. */
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
  /** The view controls the chart offers (smoothing, log y: a loss's line chart); none when absent. */
  controls?: ChartControls;
  /** The series the chart draws, for its CSV / JSON export; absent: every series of the run. */
  series?: readonly Series[];
}

export interface FigureOptions {
  /** The figure text in the UI language (keys of FIGURE_TEXT). Default English. */
  t?: Translate;
  /** Tooltips, legend toggles, zoom, brush. Default true; false for a static image. */
  interactive?: boolean;
  /** Draw the title inside the chart (a standalone image); the window shows it above instead. */
  embedTitle?: boolean;
  /** The view chosen for a chart (by its key): smoothing, y axis. Default: DEFAULT_CHART_VIEW (the book's). */
  view?: (chartKey: string) => ChartView;
  /** Fig. 6-8's step slider: the step to mark on every optimizer path; none: the book's figure. */
  pathStep?: number;
}

/** How a figure is drawn: language, interactivity, and how far the run got. */
export interface FigureContext {
  t: Translate;
  interactive: boolean;
  embed: boolean;
  status: string | null;
  totalSteps: number | null;
  /** The view chosen for the chart of this key (charts offering controls read it). */
  view: (chartKey: string) => ChartView;
  /** The step to mark on every optimizer path (FigureOptions.pathStep). */
  pathStep?: number;
}

/** The book's view for every chart: what figures draw unless the user chose otherwise. */
export const defaultView = (): ChartView => DEFAULT_CHART_VIEW;

/** Whether the run ended before its last step (its charts then fit the data instead of the planned length). */
export const endedEarly = (ctx: FigureContext): boolean =>
  !!ctx.status && ctx.status !== 'running' && ctx.status !== 'completed';

/** The x axis end of a run that goes on: its planned length; a run that ended early fits its data. */
export const frameEnd = (ctx: FigureContext, planned: number | undefined): number | undefined =>
  endedEarly(ctx) ? undefined : planned;

/** Sorts series by their place in `order` (unknown ones last, in their own order). */
export function inOrder<T>(series: readonly Series[], order: readonly T[], of: (s: Series) => T): Series[] {
  const rank = (s: Series) => {
    const i = order.indexOf(of(s));
    return i < 0 ? order.length : i;
  };
  return [...series].sort((a, b) => rank(a) - rank(b));
}

/** The loss-per-iteration figure (Fig. 6-9, 6-15): `series` in legend order, clipped at `yMax` as in the book. */
export function lossFigure(
  ctx: FigureContext,
  title: string,
  series: readonly Series[],
  yMax: number | null,
  iterations?: number,
  spread?: LossChartOptions['spread'],
): ChartDefinition {
  const key = 'loss';
  const view = ctx.view(key);
  const option = lossChartOption(series, {
    xMax: endedEarly(ctx) ? undefined : (iterations ?? ctx.totalSteps ?? undefined),
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
    smoothing: view.smoothing,
    emaWeight: view.emaWeight,
    yScale: view.yScale,
    fitY: view.fitY,
    ...(spread ? { spread } : {}),
  });
  return {
    key,
    title,
    option,
    width: 900,
    height: 420,
    points: countPoints(series),
    controls: { smoothing: true, logY: true, fitY: true },
    series,
  };
}

/** A figure of accuracy panels sharing one legend of two curves. */
export interface AccuracyFigure {
  key: string;
  title: string;
  panels: AccuracyPanel[];
  layout: AccuracyOptions['layout'];
  /** The two curves' legend names; the second one is dashed where `dashed`. */
  legend: [string, string];
  dashed: boolean;
  width: number;
  height: number;
  epochs: number | undefined;
}

export function accuracyFigure(ctx: FigureContext, figure: AccuracyFigure): ChartDefinition {
  const { key, title, panels, layout, legend, dashed, width, height } = figure;
  const drawn = panels.flatMap((p) => p.curves.flatMap((c) => (c.series ? [c.series] : [])));
  return {
    key,
    title,
    option: accuracyPanelsOption(panels, {
      t: ctx.t,
      title: ctx.embed ? title : undefined,
      interactive: ctx.interactive,
      height,
      xMax: frameEnd(ctx, figure.epochs),
      layout,
      legend: [
        { name: legend[0], color: TRAIN_COLOR },
        { name: legend[1], color: TEST_COLOR, dashed },
      ],
    }),
    width,
    height,
    points: countPoints(drawn),
    series: drawn,
  };
}
