import type { LineSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption } from 'echarts/components';
import { finalValue } from '../last-value';
import { bandSeries } from './band';
import type { Series } from '../runs';
import { type FigureOption, type GridLayout, type Panel, curve, lineLegend, panelGrid, panelsOption } from './panels';
import { type Translate, escapeHtml } from './text';

/**
 * Accuracy per epoch in small panels, y from 0 to 1: the Batch Norm grid (Fig. 6-19: one panel per
 * weight scale, BN solid, plain dashed), the train/test pairs of weight decay and dropout (Fig. 6-21,
 * 6-23: the gap between the curves shaded) and the search's best trials (Fig. 6-24: validation solid,
 * train dashed). One builder draws them all: panels of curves sharing a legend.
 */

export const TRAIN_COLOR = '#1f77b4';
export const TEST_COLOR = '#ff7f0e';

export interface CurveSpec {
  series: Series | undefined;
  /** Legend name; every panel uses the same few, so one legend serves the figure. */
  name: string;
  color: string;
  dashed?: boolean;
}

export interface AccuracyPanel {
  title?: string;
  curves: CurveSpec[];
  /** Shade the area between the first two curves (train and test). */
  shadeGap?: boolean;
  /** Shaded bands, each between two series at the same x positions (the seeds' lowest and highest). */
  bands?: { low: Series; high: Series; color: string }[];
  footer?: string[];
  /** Merged over the panel's x axis. */
  xAxis?: Panel['xAxis'];
}

export interface AccuracyOptions {
  t: Translate;
  title?: string;
  interactive?: boolean;
  height: number;
  /** End of the x axis (the run's epochs) so live curves grow into a fixed frame. */
  xMax?: number;
  layout: Omit<GridLayout, 'height' | 'top' | 'xName' | 'yName'> & { top?: number };
  legend: { name: string; color: string; dashed?: boolean }[];
  /** The y axis: its name and range; default accuracy from 0 to 1. */
  y?: { name: string; min: number; max: number; interval: number };
}

/** Two series at the same x positions as a band: the lower one, then the gap stacked on it. */
export const gapBand = (a: Series, b: Series, color: string, id: string): LineSeriesOption[] =>
  bandSeries(a.x, a.y, b.y, { color, opacity: 0.16, ids: [`${id}:low`, `${id}:gap`] });

function accuracyTooltip(): TooltipComponentOption {
  return {
    trigger: 'axis',
    confine: true,
    axisPointer: { type: 'line', animation: false },
    formatter: (params: unknown) => {
      const list = (Array.isArray(params) ? params : [params]) as {
        seriesId?: string;
        seriesName?: string;
        color?: unknown;
        value?: unknown;
        /** ECharts' axis tooltip: the epoch under the pointer. */
        axisValue?: string | number;
      }[];
      const rows = list
        .filter((p) => p.seriesId?.startsWith('curve:'))
        .map((p) => {
          const y = Array.isArray(p.value) ? Number(p.value[1]) : Number(p.value);
          return `<div><span style="display:inline-block;width:10px;height:3px;margin-right:6px;vertical-align:middle;background:${escapeHtml(typeof p.color === 'string' ? p.color : '#333')}"></span>${escapeHtml(p.seriesName ?? '')} <b>${Number.isFinite(y) ? y.toFixed(3) : '–'}</b></div>`;
        });
      if (rows.length === 0) return '';
      return `<div style="font-size:12px;line-height:1.5">epoch ${escapeHtml(String(list[0]?.axisValue ?? ''))}${rows.join('')}</div>`;
    },
  };
}

export function accuracyPanelsOption(panels: readonly AccuracyPanel[], options: AccuracyOptions): FigureOption {
  const interactive = options.interactive ?? true;
  const built: Panel[] = panels.map((panel, p) => {
    const curves = panel.curves.filter((c): c is CurveSpec & { series: Series } => c.series !== undefined);
    const band =
      panel.shadeGap && panel.curves[0]?.series && panel.curves[1]?.series
        ? gapBand(panel.curves[0].series, panel.curves[1].series, panel.curves[0].color, `band${p}`)
        : [];
    const bands = (panel.bands ?? []).flatMap((b, k) => gapBand(b.low, b.high, b.color, `band${p}:${k}`));
    return {
      title: panel.title,
      footer: panel.footer,
      ...(panel.xAxis ? { xAxis: panel.xAxis } : {}),
      series: [
        ...band,
        ...bands,
        ...curves.map((c) =>
          curve(c.series.x, c.series.y, {
            id: `curve:${p}:${c.series.name}`,
            name: c.name,
            color: c.color,
            dashed: c.dashed,
            ...(c.series.divergedAt !== undefined
              ? {
                  diverged: {
                    at: c.series.divergedAt,
                    label: options.t('divergedEpoch', { at: c.series.divergedAt }),
                  },
                }
              : {}),
          }),
        ),
      ],
    };
  });
  const top = options.layout.top ?? (options.title ? 84 : 56);
  const y = options.y ?? { name: options.t('accuracy'), min: 0, max: 1, interval: 0.2 };
  const grid = panelGrid(
    built,
    { ...options.layout, top, height: options.height, xName: options.t('epochs'), yName: y.name },
    { min: 0, max: options.xMax ?? 'dataMax', splitNumber: 4 },
    { min: y.min, max: y.max, interval: y.interval },
  );
  const option: FigureOption = {
    ...panelsOption(grid, options.title),
    legend: lineLegend(options.legend, options.title ? 32 : 6, interactive),
  };
  if (interactive) option.tooltip = accuracyTooltip();
  return option;
}

/** The last finite value of a series, if any. */
export const lastY = (s: Series | undefined): number | undefined => finalValue(s) ?? undefined;

/** "final: train 1.00 · test 0.76 · gap 0.24" under a train/test panel. */
export function gapFooter(train: Series | undefined, test: Series | undefined, t: Translate): string[] {
  const a = lastY(train);
  const b = lastY(test);
  if (a === undefined || b === undefined) return [];
  return [t('gap.final', { train: a.toFixed(2), test: b.toFixed(2), gap: (a - b).toFixed(2) })];
}

/**
 * Whether two weight scales are the same sweep value. The stds come from 10^(-4k/(n-1)), and pow's last
 * bit differs between JavaScript engines: the worker (Node) and the window (Chromium) may compute the
 * same scale one unit in the last place apart, so scales are matched by nearness, never by ===.
 */
export function sameScale(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Batch Norm (Fig. 6-19): one panel per weight scale, largest first, with BN solid and without dashed.
 * The panels are the run's scales (`stds`, from its parameters); a series whose key.scale is none of
 * them (a record without parameters) gets a panel of its own.
 */
export function batchNormPanels(series: readonly Series[], stds: readonly number[], t: Translate): AccuracyPanel[] {
  const panels: { std: number; bn?: Series; normal?: Series }[] = stds.map((std) => ({ std }));
  for (const s of series) {
    const { scale, batchNorm } = s.key;
    if (scale === undefined || batchNorm === undefined) continue;
    let panel = panels.find((p) => sameScale(p.std, scale));
    if (!panel) panels.push((panel = { std: scale }));
    panel[batchNorm ? 'bn' : 'normal'] = s;
  }
  return panels
    .sort((a, b) => b.std - a.std)
    .map(({ std, bn, normal }) => ({
      title: t('batchNorm.panel', { std: String(Number(std.toPrecision(3))) }),
      curves: [
        { series: bn, name: t('batchNorm.withBn'), color: TRAIN_COLOR },
        { series: normal, name: t('batchNorm.without'), color: TEST_COLOR, dashed: true },
      ],
    }));
}

/**
 * Train/test pairs (Fig. 6-21, 6-23): one panel per value of the compared setting (`valueOf`, e.g. the
 * series' λ), the baseline (value 0) first; a series' key.split says which curve it is.
 */
export function trainTestPanels(
  series: readonly Series[],
  t: Translate,
  valueOf: (s: Series) => number | undefined,
  title: (value: number) => string,
): AccuracyPanel[] {
  const groups = new Map<number, { train?: Series; test?: Series }>();
  for (const s of series) {
    const value = valueOf(s);
    const split = s.key.split;
    if (value === undefined || (split !== 'train' && split !== 'test')) continue;
    const entry = groups.get(value) ?? {};
    entry[split] = s;
    groups.set(value, entry);
  }
  return [...groups.entries()]
    .sort((a, b) => Number(b[0] === 0) - Number(a[0] === 0))
    .map(([value, { train, test }]) => ({
      title: title(value),
      shadeGap: true,
      footer: gapFooter(train, test, t),
      curves: [
        { series: train, name: t('gap.train'), color: TRAIN_COLOR },
        { series: test, name: t('gap.test'), color: TEST_COLOR },
      ],
    }));
}
