import type { BarSeriesOption } from 'echarts/charts';
import type { TitleComponentOption } from 'echarts/components';
import type { Activation, WeightInit } from '../params';
import { RUN_ID_SUFFIX } from './compare';
import type { Series } from '../runs';
import {
  type FigureOption,
  type Panel,
  niceCeil,
  panelGrid,
  panelRects,
  panelTitleId,
  panelsOption,
  xyPairs,
} from './panels';
import { type Translate, escapeHtml, percent, shortNumber } from './text';

/**
 * Fig. 6-10/11/13/14: the distribution of each hidden layer's activations, one histogram per layer side
 * by side (the book's row of five), with mean, std, % saturated and % zero under each; and the
 * "all at once" grid: activations (rows) × weight inits (columns), each cell its layers' histograms.
 */

/** One layer's figures as the engine reports them; the shares are percentages. */
export interface LayerStats {
  mean: number;
  std: number;
  saturated: number | null;
  zero: number | null;
  /** Outputs outside the histogram's range (the unit range cuts tanh and ReLU). */
  outsideRange?: number;
}

export interface HistogramGroup {
  /** `<activation>|<init>`: tells groups apart in chart keys. */
  key: string;
  activation: Activation;
  init: WeightInit;
  /** The layers' histograms, by layer number. */
  layers: Series[];
}

const BAR_COLOR = '#1f77b4';
/** The book's order of the activations (rows of the grid). */
const ACTIVATION_ORDER: readonly Activation[] = ['sigmoid', 'tanh', 'relu'];

/** The histogram series grouped by key.activation and key.init, in the book's activation order, inits as first seen. */
export function histogramGroups(series: readonly Series[]): HistogramGroup[] {
  const groups = new Map<string, HistogramGroup>();
  for (const s of series) {
    const { activation, init, layer } = s.key;
    if (s.metric !== 'histogram' || activation === undefined || init === undefined || layer === undefined) continue;
    const key = `${activation}|${init}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, activation, init, layers: [] }));
    group.layers.push(s);
  }
  const rank = (a: Activation) => ACTIVATION_ORDER.indexOf(a);
  return [...groups.values()]
    .map((group) => ({ ...group, layers: [...group.layers].sort((a, b) => (a.key.layer ?? 0) - (b.key.layer ?? 0)) }))
    .sort((a, b) => rank(a.activation) - rank(b.activation));
}

/** std 0.01, Xavier, He. */
export function initLabel(init: WeightInit): string {
  if (typeof init === 'number') return `std ${init}`;
  return init === 'he' ? 'He' : 'Xavier';
}

export const activationLabel = (name: Activation) => (name === 'relu' ? 'ReLU' : name);

const isStats = (item: unknown): item is LayerStats =>
  !!item && typeof item === 'object' && typeof (item as LayerStats).mean === 'number';

/** The per-layer statistics of a group from the run's summary (keyed by each layer's series name), when present. */
export function layerStats(
  summary: Record<string, unknown> | null | undefined,
  group: HistogramGroup,
): (LayerStats | undefined)[] {
  return group.layers.map((s) => {
    const own = summary?.[s.name];
    return isStats(own) ? own : undefined;
  });
}

function statsFooter(stats: LayerStats | undefined, t: Translate): string[] {
  if (!stats) return [];
  const lines = [t('histograms.stats', { mean: shortNumber(stats.mean, 2), std: shortNumber(stats.std, 2) })];
  const extra: string[] = [];
  if (stats.saturated !== null && stats.saturated !== undefined)
    extra.push(t('histograms.saturated', { pct: percent(stats.saturated) }));
  if (stats.zero !== null && stats.zero !== undefined) extra.push(t('histograms.zero', { pct: percent(stats.zero) }));
  if (extra.length > 0) lines.push(extra.join(' · '));
  if (stats.outsideRange) lines.push(t('histograms.outside', { pct: percent(stats.outsideRange) }));
  return lines;
}

const barsId = (s: Series) => `hist:${s.name}`;

function bars(s: Series, layer: number, small: boolean): BarSeriesOption {
  return {
    type: 'bar',
    id: barsId(s),
    name: `layer ${layer}`,
    data: xyPairs(s.x, s.y),
    color: BAR_COLOR,
    barWidth: small ? '85%' : '90%',
    barGap: '-100%',
    large: false,
    itemStyle: { color: BAR_COLOR },
    emphasis: { itemStyle: { color: '#ff7f0e' } },
  };
}

/** The x range of a histogram: (0, 1) as in the book, or the bins' own range rounded outwards ('full'). */
function xRange(layers: readonly Series[], range: 'unit' | 'full'): { min: number; max: number } {
  if (range === 'unit') return { min: 0, max: 1 };
  let min = Infinity;
  let max = -Infinity;
  for (const s of layers) {
    const half = s.x.length > 1 ? (s.x[1]! - s.x[0]!) / 2 : 0.5;
    if (s.x.length > 0) {
      min = Math.min(min, s.x[0]! - half);
      max = Math.max(max, s.x[s.x.length - 1]! + half);
    }
  }
  if (!Number.isFinite(min) || !(max > min)) return { min: 0, max: 1 };
  const step = 10 ** (Math.floor(Math.log10(max - min)) - 1);
  const round = (v: number) => Number(v.toPrecision(12));
  return { min: round(Math.floor(min / step + 1e-6) * step), max: round(Math.ceil(max / step - 1e-6) * step) };
}

/** Whether bins go outside (0, 1): then the unit range would hide them. */
export function guessRange(groups: readonly HistogramGroup[], requested: unknown): 'unit' | 'full' {
  if (requested === 'unit' || requested === 'full') return requested;
  const all = groups.flatMap((g) => g.layers);
  return all.some((s) => s.x.some((x) => x < 0 || x > 1)) ? 'full' : 'unit';
}

/**
 * The top of the count axis: the largest bin, or for ReLU the largest bin away from 0. Half of ReLU's
 * outputs are exactly 0; the book cuts that bar (its y limit) so the rest of the distribution shows.
 */
function maxCount(list: readonly Series[]): number {
  let max = 1;
  for (const s of list) {
    const relu = s.key.activation === 'relu';
    const half = s.x.length > 1 ? (s.x[1]! - s.x[0]!) / 2 : 0;
    s.y.forEach((count, k) => {
      const x = s.x[k]!;
      if (!(relu && x - half <= 0 && x + half >= 0)) max = Math.max(max, count);
    });
  }
  return niceCeil(max);
}

export interface HistogramOptions {
  t: Translate;
  title?: string;
  interactive?: boolean;
  range: 'unit' | 'full';
  height: number;
  /** How many layers to leave room for (the run's layer count), so a live row does not reflow. */
  layers?: number;
}

function histogramTooltip(
  interactive: boolean,
  t: Translate,
  layers: readonly Series[],
): Pick<FigureOption, 'tooltip'> {
  if (!interactive) return {};
  const byId = new Map(layers.map((s) => [barsId(s), s.key]));
  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; value?: [number, number] };
        // Ids end in their panel (`@3`), in a comparison then in the run (compare.ts).
        const key = byId.get((p.seriesId ?? '').split(RUN_ID_SUFFIX)[0]!.replace(/@\d+$/, ''));
        if (!key?.activation || key.init === undefined || !p.value) return '';
        return `<div style="font-size:12px">${escapeHtml(`${activationLabel(key.activation)}, ${initLabel(key.init)}`)}<br>${escapeHtml(
          t('histograms.layer', { k: key.layer ?? '' }),
        )}: ${shortNumber(p.value[0], 3)} → <b>${p.value[1]}</b></div>`;
      },
    },
  };
}

/** One group's layers in a row (the book's figure). */
export function histogramRowOption(
  group: HistogramGroup,
  stats: readonly (LayerStats | undefined)[],
  options: HistogramOptions,
): FigureOption {
  const interactive = options.interactive ?? true;
  const count = Math.max(options.layers ?? 0, group.layers.length);
  const yMax = maxCount(group.layers);
  const panels: Panel[] = Array.from({ length: count }, (_, i) => {
    const s = group.layers[i];
    const layer = s?.key.layer ?? i + 1;
    return {
      title: options.t('histograms.layer', { k: layer }),
      footer: statsFooter(stats[i], options.t),
      series: s ? [bars(s, layer, false)] : [],
    };
  });
  const top = options.title ? 58 : 30;
  const grid = panelGrid(
    panels,
    {
      cols: count,
      height: options.height,
      top,
      bottom: 64,
      left: 6,
      right: 2,
      gapX: 1.6,
      gapY: 0,
      edgeLabels: true,
      yName: options.t('histograms.count'),
    },
    { ...xRange(group.layers, options.range), splitNumber: 2 },
    { min: 0, max: yMax, splitNumber: 3 },
  );
  return {
    ...panelsOption(grid, options.title),
    ...histogramTooltip(interactive, options.t, group.layers),
  };
}

/** Every activation × init at once: a cell per pair (activations down, inits across), its layers small. */
export function histogramGridOption(groups: readonly HistogramGroup[], options: HistogramOptions): FigureOption {
  const interactive = options.interactive ?? true;
  const activations = [...new Set(groups.map((g) => g.activation))];
  const inits = [...new Set(groups.map((g) => g.init))];
  const layers = Math.max(options.layers ?? 0, ...groups.map((g) => g.layers.length), 1);
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const panels: Panel[] = [];
  for (const activation of activations) {
    for (const init of inits) {
      // Each cell has its own y scale (a spike of std 0.01 would flatten every other cell).
      const group = byKey.get(`${activation}|${init}`);
      const yMax = maxCount(group?.layers ?? []);
      for (let k = 0; k < layers; k++) {
        const s = group?.layers[k];
        panels.push({
          series: s ? [bars(s, k + 1, true)] : [],
          yAxis: { max: yMax },
          xAxis: { ...xRange(group?.layers ?? [], options.range), ...(k > 0 ? { axisLabel: { show: false } } : {}) },
        });
      }
    }
  }
  const top = options.title ? 62 : 34;
  const layout = {
    cols: inits.length * layers,
    rows: activations.length,
    height: options.height,
    top,
    bottom: 28,
    left: 3,
    right: 1,
    gapX: 0.35,
    groupCols: layers,
    groupGapX: 2.2,
    gapY: 44,
    edgeLabels: true,
  };
  const grid = panelGrid(
    panels,
    layout,
    { splitNumber: 1, axisLabel: { fontSize: 8, color: '#777', showMinLabel: true, showMaxLabel: true } },
    { min: 0, axisLabel: { show: false }, axisTick: { show: false }, splitLine: { show: false } },
  );
  // A header above each cell: "<activation> · <init>".
  const rects = panelRects(panels.length, layout);
  const headers: TitleComponentOption[] = [];
  activations.forEach((activation, r) => {
    inits.forEach((init, c) => {
      const first = rects[(r * inits.length + c) * layers]!;
      const last = rects[(r * inits.length + c) * layers + layers - 1]!;
      headers.push({
        id: panelTitleId(r * inits.length + c),
        text: `${activationLabel(activation)} · ${initLabel(init)}`,
        left: `${((first.left + last.left + last.width) / 2).toFixed(3)}%`,
        top: first.top - 18,
        textAlign: 'center',
        textStyle: { fontSize: 11, fontWeight: 'bold', color: '#333' },
      });
    });
  });
  return {
    ...panelsOption({ ...grid, title: [...grid.title, ...headers] }, options.title),
    ...histogramTooltip(
      interactive,
      options.t,
      groups.flatMap((g) => g.layers),
    ),
  };
}
