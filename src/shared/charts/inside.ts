import type { LineSeriesOption } from 'echarts/charts';
import type { Histogram, InsideLayer, InsideNet } from '../inside';
import { PALETTE } from './colors';
import { type FigureOption, type Panel, figureTitle, panelGrid, panelsOption } from './panels';
import { type Translate, shortNumber } from './text';

/*
 * Inside the net over training (shared/inside.ts), drawn: each layer's histogram at one moment (the
 * time slider's), one quantity of one layer over every moment as a ridgeline (TensorBoard's
 * histograms), and per-layer curves of the gradient norm, the update / weight ratio and the
 * activations' spread, with the slider's moment marked.
 */

/** What a histogram of a layer shows. */
export const INSIDE_QUANTITIES = ['activation', 'normalized', 'weight', 'gradient'] as const;
export type InsideQuantity = (typeof INSIDE_QUANTITIES)[number];

export const INSIDE_CURVES = ['gradientNorm', 'updateRatio', 'activationStd'] as const;
export type InsideCurve = (typeof INSIDE_CURVES)[number];

const LINE_COLOR = '#1f77b4';
const CURRENT_COLOR = '#ff7f0e';

/** The quantities a net recorded (Batch Norm outputs only with Batch Norm). */
export const quantitiesOf = (net: InsideNet): InsideQuantity[] =>
  INSIDE_QUANTITIES.filter((q) => net.moments.some((m) => m.layers.some((layer) => layer[q] !== undefined)));

/** The layers (1-based) that have `quantity` in the net's moments. */
export const layersWith = (net: InsideNet, quantity: InsideQuantity): number[] =>
  (net.moments[0]?.layers ?? []).flatMap((layer, i) => (layer[quantity] ? [i + 1] : []));

/** A histogram as [bin centre, share of its values in %] pairs (a histogram of one value: one point). */
function sharePoints(h: Histogram): [number, number][] {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const width = (h.max - h.min) / h.counts.length;
  if (width === 0) return [[h.min, 100]];
  return h.counts.map((count, i) => [h.min + (i + 0.5) * width, (100 * count) / total]);
}

/** The x range of histograms, padded so that a histogram of one value still has a width. */
function valueRange(histograms: readonly Histogram[]): { min: number; max: number } {
  const min = Math.min(...histograms.map((h) => h.min));
  const max = Math.max(...histograms.map((h) => h.max));
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: -1, max: 1 };
  const pad = max > min ? 0 : Math.max(Math.abs(min) * 0.1, 1e-6);
  return { min: min - pad, max: max + pad };
}

const axisNumber = (value: number) => shortNumber(value, 2);

/** Each layer's histogram of `quantity` at moment `index` (the slider's), one panel per layer. */
export function insideMomentOption(
  net: InsideNet,
  index: number,
  quantity: InsideQuantity,
  t: Translate,
  height: number,
): FigureOption {
  const moment = net.moments[Math.min(index, net.moments.length - 1)];
  const layers = layersWith(net, quantity);
  const panels: Panel[] = layers.map((k) => {
    const h = moment?.layers[k - 1]?.[quantity];
    if (!h) return { title: t('inside.layer', { k }), series: [] };
    const footer = [t('inside.stats', { mean: axisNumber(h.mean), std: axisNumber(h.std) })];
    if (h.nonFinite) footer.push(t('inside.nonFinite', { n: h.nonFinite }));
    return {
      title: t('inside.layer', { k }),
      footer,
      series: [
        {
          type: 'line',
          data: sharePoints(h),
          step: 'middle',
          symbol: 'none',
          color: LINE_COLOR,
          areaStyle: { opacity: 0.35 },
          lineStyle: { width: 1.2 },
        },
      ],
      xAxis: { ...valueRange([h]), axisLabel: { formatter: axisNumber, hideOverlap: true } },
    };
  });
  const title = `${t(`inside.quantity.${quantity}`)} · ${t('inside.at', { step: moment?.step ?? 0 })}`;
  const grid = panelGrid(
    panels,
    {
      cols: Math.max(1, Math.min(panels.length, 6)),
      height,
      top: 56,
      bottom: 54,
      left: 6,
      right: 2,
      gapX: 2.4,
      gapY: 70,
      edgeLabels: false,
      yName: t('inside.share'),
    },
    { type: 'value', splitNumber: 2 },
    // The value axis crosses 0 inside the panel: keep the count axis at the panel's left edge.
    { type: 'value', min: 0, axisLine: { onZero: false } },
  );
  return panelsOption(grid, title);
}

/**
 * One layer's `quantity` over every moment: a ridge per moment, the first at the bottom, each scaled to
 * its own tallest bin; the slider's moment in orange.
 */
export function insideRidgelineOption(
  net: InsideNet,
  layer: number,
  quantity: InsideQuantity,
  current: number,
  t: Translate,
): FigureOption {
  const histograms = net.moments.map((m) => m.layers[layer - 1]?.[quantity]);
  const present = histograms.filter((h): h is Histogram => h !== undefined);
  const series: LineSeriesOption[] = histograms.flatMap((h, k) => {
    if (!h) return [];
    const points = sharePoints(h);
    const top = Math.max(...points.map(([, share]) => share), 1e-9);
    const isCurrent = k === current;
    return [
      {
        type: 'line',
        name: String(net.moments[k]!.step),
        data: points.map(([x, share]) => [x, k + (0.9 * share) / top]),
        symbol: 'none',
        z: isCurrent ? 3 : 2,
        color: isCurrent ? CURRENT_COLOR : LINE_COLOR,
        lineStyle: { width: isCurrent ? 2 : 0.8, opacity: isCurrent ? 1 : 0.7 },
        areaStyle: isCurrent ? { opacity: 0.25, origin: k } : undefined,
      },
    ];
  });
  const step = (value: number) => {
    const k = Math.round(value);
    return Number.isInteger(value) && net.moments[k] ? String(net.moments[k].step) : '';
  };
  return {
    animation: false,
    backgroundColor: 'transparent',
    title: figureTitle(t('inside.ridgeline', { quantity: t(`inside.quantity.${quantity}`), k: layer })),
    grid: { left: 70, right: 24, top: 40, bottom: 44 },
    xAxis: {
      type: 'value',
      name: t('inside.value'),
      nameLocation: 'middle',
      nameGap: 26,
      ...valueRange(present),
      axisLabel: { formatter: axisNumber, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: t('inside.update'),
      min: 0,
      max: Math.max(1, net.moments.length),
      minInterval: 1,
      axisLine: { onZero: false },
      axisLabel: { formatter: step, hideOverlap: true },
      splitLine: { show: false },
    },
    series,
  };
}

/** A curve's value of a layer at a moment; null where it has none or it cannot go on a log axis. */
function curveValue(layer: InsideLayer | undefined, curve: InsideCurve): number | null {
  const value = curve === 'activationStd' ? layer?.activation?.std : layer?.[curve];
  return value !== undefined && value !== null && value > 0 && Number.isFinite(value) ? value : null;
}

/** Per layer, `curve` over the moments (log y), the slider's moment marked. */
export function insideCurvesOption(net: InsideNet, curve: InsideCurve, current: number, t: Translate): FigureOption {
  const layerCount = net.moments[0]?.layers.length ?? 0;
  const series: LineSeriesOption[] = Array.from({ length: layerCount }, (_, i): LineSeriesOption => ({
    type: 'line',
    name: t('inside.layer', { k: i + 1 }),
    data: net.moments.map((m) => [m.step, curveValue(m.layers[i], curve)]),
    color: PALETTE[i % PALETTE.length],
    symbol: net.moments.length === 1 ? 'circle' : 'none',
    connectNulls: false,
  })).filter((s) => (s.data as [number, number | null][]).some(([, y]) => y !== null));
  const step = net.moments[Math.min(current, net.moments.length - 1)]?.step ?? 0;
  if (series[0])
    series[0].markLine = {
      silent: true,
      symbol: 'none',
      label: { show: false },
      lineStyle: { color: CURRENT_COLOR, type: 'dashed' },
      data: [{ xAxis: step }],
    };
  const lastStep = net.moments.at(-1)?.step ?? 1;
  return {
    animation: false,
    backgroundColor: 'transparent',
    title: figureTitle(t(`inside.curve.${curve}`)),
    legend: { top: 26, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? shortNumber(v, 3) : '–') },
    grid: { left: 70, right: 24, top: 64, bottom: 44 },
    xAxis: {
      type: 'value',
      name: t('inside.update'),
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      max: Math.max(lastStep, 1),
    },
    yAxis: { type: 'log', axisLabel: { formatter: axisNumber } },
    series,
  };
}
