import type { LineSeriesOption } from 'echarts/charts';

/**
 * Shaded bands between two lines (the gap between train and test accuracy, the seeds' lowest to
 * highest): the lower line, then the width stacked on it and filled.
 */

/** Point by point over some curves: the mean, lowest and highest finite value (NaN where none is). */
export function pointwiseRange(
  curves: readonly (readonly number[])[],
  length: number,
): { mean: number[]; low: number[]; high: number[] } {
  const out = { mean: [] as number[], low: [] as number[], high: [] as number[] };
  for (let k = 0; k < length; k++) {
    const values = curves.map((c) => c[k]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const none = values.length === 0;
    out.mean.push(none ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
    out.low.push(none ? Number.NaN : Math.min(...values));
    out.high.push(none ? Number.NaN : Math.max(...values));
  }
  return out;
}

export interface BandStyle {
  color: string;
  opacity: number;
  /** The ids of the lower line and of the filled width. */
  ids: [string, string];
  /** A legend name to hide the band with (its series'); default: the ids. */
  name?: string;
}

/** The band from `low` to `high` at `x` (the lower value first where they cross). */
export function bandSeries(
  x: readonly number[],
  low: readonly number[],
  high: readonly number[],
  style: BandStyle,
): LineSeriesOption[] {
  const n = Math.min(x.length, low.length, high.length);
  const bottom: [number, number][] = [];
  const width: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    bottom.push([x[k]!, Math.min(low[k]!, high[k]!)]);
    width.push([x[k]!, Math.abs(high[k]! - low[k]!)]);
  }
  const base = {
    type: 'line',
    stack: style.ids[0],
    // Stacked on the lower line whatever its sign (ECharts stacks negative values apart by default).
    stackStrategy: 'all',
    showSymbol: false,
    symbol: 'none',
    silent: true,
    clip: true,
    z: 1,
    lineStyle: { width: 0, opacity: 0 },
    emphasis: { disabled: true },
    tooltip: { show: false },
  } satisfies LineSeriesOption;
  return [
    { ...base, id: style.ids[0], name: style.name ?? style.ids[0], data: bottom },
    {
      ...base,
      id: style.ids[1],
      name: style.name ?? style.ids[1],
      data: width,
      areaStyle: { color: style.color, opacity: style.opacity },
    },
  ];
}
