import type { LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Series } from '../runs';
import { emaCurve, smoothCurve } from '../smooth';
import { DEFAULT_CHART_VIEW, type SmoothingMode, type YScale, emaWeightOf } from './chart-view';
import { SERIES_SYMBOLS, seriesColors } from './colors';
import { bandSeries, pointwiseRange } from './band';
import { finiteCount } from './panels';
import { yRangeFor } from './y-range';

/**
 * The loss-vs-iteration figure of the book (Fig. 6-9, later 6-15) as an ECharts option, free of any UI
 * framework: the lab's window draws it live and a headless command can render the same option to PNG.
 * Per series: the raw loss of every iteration, thin and faint, and the smoothed curve, bold, in the same
 * colour; both carry the series' name, so a legend click hides or shows both. The smoothing is the
 * book's Kaiser-11 window by default, or TensorBoard's debiased EMA, or none (the raw loss is then the
 * curve); the y axis is linear (clipped at `yMax`, as in the book, but widened when a curve lies
 * entirely above it, so none is ever out of sight) or logarithmic (fitted to the data). NaN and ±Infinity
 * are gaps; a series of one point is drawn as its symbol.
 */

export type LossChartOption = ComposeOption<
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
>;

export interface LossChartLabels {
  xAxis: string;
  yAxis: string;
  raw: string;
  smoothed: string;
  /** The note on a series that became NaN or infinite, e.g. "diverged at it. 120". */
  diverged: (at: number) => string;
}

export const DEFAULT_LOSS_CHART_LABELS: LossChartLabels = {
  xAxis: 'iterations',
  yAxis: 'loss',
  raw: 'raw',
  smoothed: 'smoothed',
  diverged: (at) => `diverged at it. ${at}`,
};

export interface LossChartOptions {
  labels?: Partial<LossChartLabels>;
  /**
   * Top of the y axis; larger values are clipped, as in the book, unless a whole curve lies above it
   * (the axis then reaches up to it). Default 1; null fits the data.
   */
  yMax?: number | null;
  /** End of the x axis, e.g. the run's iterations, so a live curve grows into a fixed frame. */
  xMax?: number;
  title?: string;
  /** Tooltip, legend toggling and zoom (inside + slider). Off for a static figure. Default true. */
  interactive?: boolean;
  /** Default false: a live chart must not animate each update. */
  animation?: boolean;
  colors?: Readonly<Record<string, string>>;
  /** 'book' (default): Kaiser-11 as in the book; 'ema': TensorBoard's EMA with `emaWeight`; 'off': raw only. */
  smoothing?: SmoothingMode;
  /** The EMA's weight, 0..0.99 (clamped). Default 0.6. */
  emaWeight?: number;
  /** Default 'linear'. On 'log' the axis fits the data (no clip) and points <= 0 are left out. */
  yScale?: YScale;
  /** A linear axis spans the data drawn (finite values), not the book's range. Default false. */
  fitY?: boolean;
  /**
   * Per series name, the seeded repeats it is the mean of (the workbench): a band from the lowest to
   * the highest repeat's curve, smoothed as the series is, shaded in its colour.
   */
  spread?: Readonly<Record<string, readonly Series[]>>;
}

const RAW_SUFFIX = ':raw';
const symbolOf = (i: number) => SERIES_SYMBOLS[i % SERIES_SYMBOLS.length]!;
const SMOOTH_SUFFIX = ':smoothed';

export function lossChartOption(series: readonly Series[], options: LossChartOptions = {}): LossChartOption {
  const labels = { ...DEFAULT_LOSS_CHART_LABELS, ...options.labels };
  const interactive = options.interactive ?? true;
  const yMax = options.yMax === undefined ? 1 : options.yMax;
  const names = series.map((s) => s.name);
  const colors = seriesColors(names, options.colors);
  const smoothing = options.smoothing ?? DEFAULT_CHART_VIEW.smoothing;
  const emaWeight = emaWeightOf(options.emaWeight ?? DEFAULT_CHART_VIEW.emaWeight);
  const logY = options.yScale === 'log';
  // NaN and ±Infinity are gaps; a log axis has no place for 0 or below either.
  const shown = logY
    ? (y: number) => (y > 0 && y < Number.POSITIVE_INFINITY ? y : Number.NaN)
    : (y: number) => (Number.isFinite(y) ? y : Number.NaN);
  const smooth = (y: readonly number[]): number[] => (smoothing === 'ema' ? emaCurve(y, emaWeight) : smoothCurve(y));

  // Series that stopped at the same iteration share one label (their lines coincide).
  const labelled = new Map<number, string[]>();
  for (const s of series)
    if (s.divergedAt !== undefined) labelled.set(s.divergedAt, [...(labelled.get(s.divergedAt) ?? []), s.name]);

  // Each curve's symbol every tenth of the planned run (staggered per series so they do not overlap).
  const every = Math.max(1, Math.round((options.xMax ?? Math.max(0, ...series.map((s) => s.x.at(-1) ?? 0))) / 10));
  const markers = (data: readonly [number, number][], i: number, color: string): Partial<LineSeriesOption> => {
    const offset = Math.round((every * i) / Math.max(1, series.length)) + Math.round(every / 2);
    const at: [number, number][] = [];
    let next = offset;
    for (const [x, y] of data) {
      if (x < next) continue;
      if (Number.isFinite(y)) at.push([x, y]);
      next += every * Math.max(1, Math.ceil((x - next + 1) / every));
    }
    return {
      markPoint: {
        silent: true,
        animation: false,
        symbol: symbolOf(i),
        symbolSize: 8,
        label: { show: false },
        itemStyle: { color, borderColor: '#fff', borderWidth: 1 },
        data: at.map(([x, y]) => ({ name: '', coord: [x, y] })),
      },
    };
  };

  const lines: LineSeriesOption[] = [];
  /** Each series' main curve (smoothed, or raw when smoothing is off): the axis must show them. */
  const main: number[][] = [];
  /** Every curve drawn, the faint raw ones too: what "fit y to data" spans. */
  const drawn: number[][] = [];
  series.forEach((s, i) => {
    const color = colors[i]!;
    const n = Math.min(s.x.length, s.y.length);
    const raw = new Array<[number, number]>(n);
    for (let k = 0; k < n; k++) raw[k] = [s.x[k]!, shown(s.y[k]!)];
    const mark =
      s.divergedAt !== undefined
        ? {
            markLine: divergedMark(
              s.divergedAt,
              labelled.get(s.divergedAt)?.[0] === s.name
                ? `${labelled.get(s.divergedAt)!.join(', ')}: ${labels.diverged(s.divergedAt)}`
                : '',
              color,
            ),
          }
        : {};

    /**
     * One curve of the series: a plain line, no symbols, no hover emphasis, clipped to the frame; a
     * curve of one finite point, which no line would show, is drawn as the series' symbol.
     */
    const curve = (id: string, data: [number, number][], z: number, lineStyle: LineSeriesOption['lineStyle']) =>
      ({
        id: s.name + id,
        name: s.name,
        type: 'line',
        data,
        color,
        clip: true,
        z,
        lineStyle,
        emphasis: { disabled: true },
        ...(finiteCount(data.map(([, y]) => y)) === 1
          ? { showSymbol: true, symbol: symbolOf(i), symbolSize: 8 }
          : { showSymbol: false, symbol: 'none' }),
      }) satisfies LineSeriesOption;

    const repeats = options.spread?.[s.name] ?? [];
    if (repeats.length >= 2) {
      const curves = repeats.map((r) => (smoothing === 'off' ? r.y : smooth(r.y)).map(shown));
      const band = spreadBand(s.name, s.x.slice(0, n), curves, color);
      lines.push(...band.series);
      drawn.push(band.low, band.high);
    }

    if (smoothing === 'off') {
      // No smoothing: the raw loss is the curve, drawn as the smoothed one would be.
      lines.push({
        ...curve(RAW_SUFFIX, raw, 3, { width: 1.5, color }),
        sampling: 'lttb',
        ...mark,
        ...markers(raw, i, color),
      });
      main.push(raw.map((p) => p[1]));
      drawn.push(raw.map((p) => p[1]));
      return;
    }

    const smoothedY = smooth(n === s.y.length ? s.y : s.y.slice(0, n));
    const smoothed = new Array<[number, number]>(n);
    for (let k = 0; k < n; k++) smoothed[k] = [s.x[k]!, shown(smoothedY[k]!)];
    main.push(smoothed.map((p) => p[1]));
    drawn.push(
      smoothed.map((p) => p[1]),
      raw.map((p) => p[1]),
    );

    // The smoothed curve comes first so the legend takes its bold style for the series' icon.
    lines.push({
      ...curve(SMOOTH_SUFFIX, smoothed, 3, { width: 2.5, color }),
      ...mark,
      ...markers(smoothed, i, color),
    });
    lines.push({ ...curve(RAW_SUFFIX, raw, 2, { width: 1, opacity: 0.22, color }), sampling: 'lttb' });
  });

  // The faint raw lines may leave the frame, as in the book; a main curve never entirely.
  const book = yMax === null ? null : { min: 0, max: yMax };
  const range = logY ? null : options.fitY ? yRangeFor(drawn, book, true) : yRangeFor(main, book, false);
  const diverged = new Map(series.filter((s) => s.divergedAt !== undefined).map((s) => [s.name, s.divergedAt!]));
  const option: LossChartOption = {
    animation: options.animation ?? false,
    backgroundColor: 'transparent',
    grid: { left: 56, right: 28, top: options.title ? 64 : 44, bottom: interactive ? 78 : 48, containLabel: false },
    legend: {
      top: options.title ? 32 : 6,
      left: 'center',
      type: 'plain',
      itemWidth: 12,
      itemHeight: 10,
      data: series.map((s, i) => ({ name: s.name, icon: symbolOf(i), itemStyle: { color: colors[i]! } })),
      selectedMode: interactive,
      ...(diverged.size > 0
        ? {
            formatter: (name: string) =>
              diverged.has(name) ? `${name} (${labels.diverged(diverged.get(name)!)})` : name,
          }
        : {}),
    },
    xAxis: {
      type: 'value',
      name: labels.xAxis,
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      max: options.xMax ?? 'dataMax',
      splitLine: { show: false },
    },
    yAxis: logY
      ? {
          type: 'log',
          name: labels.yAxis,
          nameLocation: 'middle',
          nameGap: 42,
          axisLabel: { formatter: logTick },
          splitLine: { lineStyle: { color: '#eceff3' } },
        }
      : {
          type: 'value',
          name: labels.yAxis,
          nameLocation: 'middle',
          nameGap: 40,
          min: range?.min ?? 0,
          ...(range ? { max: range.max } : {}),
          splitLine: { lineStyle: { color: '#eceff3' } },
        },
    series: lines,
  };
  if (options.title) option.title = { text: options.title, left: 'center', top: 4, textStyle: { fontSize: 14 } };
  if (interactive) {
    option.tooltip = {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'line', animation: false },
      formatter: (params: unknown) => tooltipText(params, labels),
    };
    option.dataZoom = [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 10, showDetail: false },
    ];
  }
  return option;
}

/** The ids of a band's series start with this (the tooltip passes them over). */
const BAND_ID = 'band|';

/**
 * The lowest and highest of `curves` at each x, as a band named after their series, so that its legend
 * entry hides it with it.
 */
function spreadBand(name: string, x: readonly number[], curves: readonly number[][], color: string) {
  const { low, high } = pointwiseRange(curves, x.length);
  const ids: [string, string] = [`${BAND_ID}low|${name}`, `${BAND_ID}width|${name}`];
  const series = bandSeries(x, low, high, { color, opacity: 0.18, ids, name }).map((s): LineSeriesOption => ({
    ...s,
    sampling: 'lttb',
  }));
  return { series, low, high };
}

/** A log axis' tick: 0.01, 0.1, 1, 10 as they are, smaller or larger ones as 1e-4. */
function logTick(value: number): string {
  return value >= 1e-3 && value < 1e4 ? String(Number(value.toPrecision(3))) : value.toExponential(0);
}

function divergedMark(at: number, text: string, color: string): MarkLineComponentOption {
  return {
    silent: true,
    symbol: 'none',
    animation: false,
    lineStyle: { type: 'dashed', color, width: 1.5 },
    label: { show: text !== '', formatter: text.replace(/[{}]/g, ''), position: 'insideEndTop', color, fontSize: 11 },
    data: [{ xAxis: at }],
  };
}

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  color?: unknown;
  value?: unknown;
  /** ECharts' axis tooltip: the iteration under the pointer. */
  axisValue?: string | number;
}

function tooltipText(params: unknown, labels: LossChartLabels): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  if (list.length === 0) return '';
  const rows = new Map<string, { color: string; raw?: number; smoothed?: number }>();
  for (const p of list) {
    if (p.seriesId?.startsWith(BAND_ID)) continue;
    const name = p.seriesName ?? '';
    const y = Array.isArray(p.value) ? Number(p.value[1]) : Number(p.value);
    const row = rows.get(name) ?? { color: typeof p.color === 'string' ? p.color : '#333' };
    if (p.seriesId?.endsWith(SMOOTH_SUFFIX)) row.smoothed = y;
    else row.raw = y;
    rows.set(name, row);
  }
  const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4));
  const head = `${escapeHtml(labels.xAxis)} ${escapeHtml(String(list[0]!.axisValue ?? ''))}`;
  const body = [...rows]
    .map(
      ([name, r]) =>
        `<div><span style="display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;background:${escapeHtml(r.color)}"></span>` +
        `<b>${escapeHtml(name)}</b>&nbsp; ` +
        (r.smoothed === undefined && r.raw !== undefined
          ? `${escapeHtml(labels.raw)} ${fmt(r.raw)}</div>`
          : `${escapeHtml(labels.smoothed)} ${fmt(r.smoothed)} · ${escapeHtml(labels.raw)} ${fmt(r.raw)}</div>`),
    )
    .join('');
  return `<div style="font-size:12px;line-height:1.6">${head}${body}</div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
