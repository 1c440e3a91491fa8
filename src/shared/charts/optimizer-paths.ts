import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption } from 'echarts/components';
import type { Series } from '../runs';
import { seriesColors } from './colors';
import { type Point, contourLines } from './contour';
import {
  type FigureOption,
  type Panel,
  type PanelSeries,
  divergedMark,
  lastFinitePoint,
  lineLegend,
  panelGrid,
  panelsOption,
  xyPairs,
} from './panels';
import { type Translate, escapeHtml } from './text';

/**
 * Fig. 6-8: the update paths of the optimizers on f(x, y) = x²/20 + y², over the contour of f. Two
 * views: every path on one contour (the overlay), and the book's panels, one per optimizer. Hovering a
 * point shows its step, position, gradient and the optimizer's state there (from the run's trace).
 */

export const PATH_BOUNDS = { x: [-10, 10] as [number, number], y: [-5, 5] as [number, number] };
export const pathFunction = (x: number, y: number) => (x * x) / 20 + y * y;
const LEVELS = [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7];

/** One step of one optimizer as the engine records it in summary.trace. */
export interface TraceEntry {
  step: number;
  x: number;
  y: number;
  gradient?: number[];
  state?: Record<string, number[] | number>;
}
export type Trace = Record<string, TraceEntry[]>;

let contourCache: { level: number; lines: Point[][] }[] | null = null;

/** The contour lines of f as one line series per level (polylines separated by gaps). */
function contourSeries(): LineSeriesOption[] {
  contourCache ??= contourLines(pathFunction, { ...PATH_BOUNDS, levels: LEVELS, nx: 120, ny: 60 });
  return contourCache.map(({ level, lines }, k) => {
    const data: (Point | '-')[] = [];
    for (const line of lines) {
      if (data.length > 0) data.push('-');
      data.push(...line);
    }
    const shade = Math.round(120 + (k / LEVELS.length) * 90);
    const color = `rgb(${shade},${shade + 8},${shade + 20})`;
    return {
      type: 'line',
      id: `contour:${level}`,
      name: `f = ${level}`,
      data: data,
      silent: true,
      showSymbol: false,
      symbol: 'none',
      connectNulls: false,
      clip: true,
      z: 1,
      color,
      lineStyle: { width: 1, color },
      emphasis: { disabled: true },
      tooltip: { show: false },
    };
  });
}

function minimumMark(label: string): ScatterSeriesOption {
  return {
    type: 'scatter',
    id: 'minimum',
    name: label,
    data: [[0, 0]],
    symbol: 'path://M-1,-0.15 L1,-0.15 L1,0.15 L-1,0.15 Z M-0.15,-1 L0.15,-1 L0.15,1 L-0.15,1 Z',
    symbolSize: 12,
    itemStyle: { color: '#222' },
    silent: true,
    z: 2,
    tooltip: { show: false },
  };
}

function pathSeries(s: Series, color: string, small: boolean, t: Translate): LineSeriesOption {
  const data = xyPairs(s.x, s.y);
  const last = lastFinitePoint(data);
  return {
    type: 'line',
    id: `path:${s.name}`,
    name: s.name,
    data,
    // A path that ran off to infinity is marked where it was last seen.
    ...(s.divergedAt !== undefined && last
      ? { markPoint: divergedMark(last, t('paths.diverged', { at: s.divergedAt }), color) }
      : {}),
    color,
    showSymbol: true,
    symbol: 'circle',
    symbolSize: small ? 4 : 6,
    clip: true,
    z: 4,
    lineStyle: { width: small ? 1.2 : 1.8, color },
    itemStyle: { color },
    emphasis: { scale: 1.8, focus: 'series' },
  };
}

const vec = (v: unknown): string =>
  Array.isArray(v)
    ? `(${v.map((n) => (typeof n === 'number' ? fmt(n) : String(n))).join(', ')})`
    : typeof v === 'number'
      ? fmt(v)
      : '–';
const fmt = (n: number) => (Math.abs(n) >= 1e-3 || n === 0 ? String(Number(n.toPrecision(4))) : n.toExponential(3));

/** Tooltip text for a point of an optimizer's path: step, position, gradient, state at that step. */
export function pathPointText(
  optimizer: string,
  index: number,
  point: [number, number],
  trace: Trace | undefined,
  t: Translate,
): string {
  const entry = trace?.[optimizer]?.find((e) => e.step === index) ?? trace?.[optimizer]?.[index];
  const rows = [
    `<b>${escapeHtml(optimizer)}</b> · ${escapeHtml(t('paths.step', { step: entry?.step ?? index }))}`,
    `${escapeHtml(t('paths.position'))} (x, y) = ${vec(entry ? [entry.x, entry.y] : point)}`,
  ];
  if (entry?.gradient) rows.push(`${escapeHtml(t('paths.gradient'))} ∇f = ${vec(entry.gradient)}`);
  for (const [key, value] of Object.entries(entry?.state ?? {})) rows.push(`${escapeHtml(key)} = ${vec(value)}`);
  return `<div style="font-size:12px;line-height:1.6">${rows.join('<br>')}</div>`;
}

function tooltip(trace: Trace | undefined, t: Translate): TooltipComponentOption {
  return {
    trigger: 'item',
    confine: true,
    formatter: (params: unknown) => {
      const p = params as { seriesId?: string; seriesName?: string; dataIndex?: number; value?: unknown };
      if (!p.seriesId?.startsWith('path:')) return '';
      return pathPointText(p.seriesName ?? '', p.dataIndex ?? 0, p.value as [number, number], trace, t);
    },
  };
}

/** A start point the form holds but no run has used yet: a hollow ring where the next paths will begin. */
function pendingStartMark(point: [number, number], label: string): ScatterSeriesOption {
  return {
    type: 'scatter',
    id: 'pending-start',
    name: label,
    data: [point],
    symbol: 'circle',
    symbolSize: 14,
    itemStyle: { color: 'rgba(255,255,255,0)', borderColor: '#111', borderWidth: 2 },
    label: { show: true, formatter: label, position: 'top', fontSize: 11, color: '#111' },
    silent: true,
    z: 5,
    tooltip: { show: false },
  };
}

/** Where every path is at step `step` (Fig. 6-8's step slider): a ring on each path's point at that step. */
function stepMark(s: Series, color: string, step: number, small: boolean): ScatterSeriesOption {
  const k = Math.min(step, s.x.length - 1);
  return {
    type: 'scatter',
    id: `step:${s.name}`,
    name: s.name,
    data: k >= 0 ? [[s.x[k]!, s.y[k]!]] : [],
    symbol: 'circle',
    symbolSize: small ? 12 : 18,
    itemStyle: { color: 'rgba(255,255,255,0.35)', borderColor: color, borderWidth: 3 },
    silent: true,
    z: 6,
    tooltip: { show: false },
  };
}

export interface PathsOptions {
  t: Translate;
  title?: string;
  interactive?: boolean;
  trace?: Trace;
  /** 'overlay': every path on one contour; 'panels': one panel per optimizer. */
  view: 'overlay' | 'panels';
  height: number;
  /** Where the next run will start, when it differs from the shown one (overlay only). */
  pendingStart?: [number, number];
  /** A step to mark on every path (the step slider); none: no marks, the book's figure. */
  step?: number;
}

const axes = {
  x: { min: PATH_BOUNDS.x[0], max: PATH_BOUNDS.x[1], interval: 5 },
  y: { min: PATH_BOUNDS.y[0], max: PATH_BOUNDS.y[1], interval: 5 },
};

export function optimizerPathsOption(series: readonly Series[], options: PathsOptions): FigureOption {
  const paths = series.filter((s) => s.metric === 'path');
  const colors = seriesColors(paths.map((s) => s.name));
  const interactive = options.interactive ?? true;
  const overlay = options.view === 'overlay';
  const top = options.title ? 62 : 34;
  const panels: Panel[] = overlay
    ? [
        {
          series: [
            ...contourSeries(),
            minimumMark(options.t('paths.minimum')),
            ...paths.map((s, i) => pathSeries(s, colors[i]!, false, options.t)),
            ...(options.pendingStart ? [pendingStartMark(options.pendingStart, options.t('paths.start'))] : []),
            ...(options.step === undefined ? [] : paths.map((s, i) => stepMark(s, colors[i]!, options.step!, false))),
          ],
        },
      ]
    : paths.map((s, i) => ({
        title: s.name,
        series: [
          ...contourSeries(),
          minimumMark(options.t('paths.minimum')),
          pathSeries(s, colors[i]!, true, options.t),
          ...(options.step === undefined ? [] : [stepMark(s, colors[i]!, options.step, true)]),
        ] as PanelSeries[],
      }));
  const cols = overlay ? 1 : paths.length <= 4 ? 2 : 3;
  const grid = panelGrid(
    panels,
    {
      cols,
      height: options.height,
      top: overlay ? top : top + 18,
      bottom: 40,
      left: 7,
      right: 4,
      gapX: 6,
      gapY: overlay ? 0 : 46,
      edgeLabels: false,
      xName: 'x',
      yName: 'y',
    },
    { ...axes.x, axisLine: { onZero: false } },
    { ...axes.y, axisLine: { onZero: false }, splitLine: { show: false } },
  );
  const option: FigureOption = {
    ...panelsOption(grid, options.title),
    legend: lineLegend(
      paths.map((s, i) => ({ name: s.name, color: colors[i]! })),
      options.title ? 32 : 6,
      interactive && overlay,
    ),
  };
  if (interactive) option.tooltip = tooltip(options.trace, options.t);
  return option;
}

/** Reads summary.trace when it has the expected shape. */
export function traceOf(summary: Record<string, unknown> | null | undefined): Trace | undefined {
  const trace = summary?.trace;
  if (!trace || typeof trace !== 'object') return undefined;
  return trace as Trace;
}
