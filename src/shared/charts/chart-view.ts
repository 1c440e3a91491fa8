/**
 * How the user chose to look at a line chart: its smoothing and its y axis (log, fitted to the data).
 * Figure options, not run data: the lab's window keeps one per chart (the chart-prefs store), `lab
 * figures` always draws the defaults (the book's figure). A chart says which of these controls it
 * offers (ChartDefinition.controls).
 */

/** 'book': the book's Kaiser-11 smoothing; 'ema': TensorBoard's debiased moving average; 'off': the raw curve. */
export const SMOOTHING_MODES = ['book', 'ema', 'off'] as const;
export type SmoothingMode = (typeof SMOOTHING_MODES)[number];

export const Y_SCALES = ['linear', 'log'] as const;
export type YScale = (typeof Y_SCALES)[number];

/** The EMA weight's range, as TensorBoard's slider: 0 (no smoothing) to 0.99 (heavy). */
export const EMA_WEIGHT_MAX = 0.99;

export interface ChartView {
  smoothing: SmoothingMode;
  /** The EMA's weight (used when smoothing is 'ema'), 0..0.99. */
  emaWeight: number;
  yScale: YScale;
  /** A linear y axis that spans the data drawn instead of the book's range. */
  fitY: boolean;
}

/** Today's figure: the book's smoothing, a linear axis over the book's range (TensorBoard's EMA weight kept). */
export const DEFAULT_CHART_VIEW: Readonly<ChartView> = Object.freeze({
  smoothing: 'book',
  emaWeight: 0.6,
  yScale: 'linear',
  fitY: false,
});

/** The controls a chart offers (a line chart of a loss: all; charts of other kinds: none). */
export interface ChartControls {
  smoothing: boolean;
  logY: boolean;
  /** "Fit y to data": figuresFor adds it to every chart offering log y (charts/y-range.ts). */
  fitY?: boolean;
}

/** An EMA weight clamped to 0..0.99 (a non-number gives the default). */
export function emaWeightOf(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return DEFAULT_CHART_VIEW.emaWeight;
  return Math.min(EMA_WEIGHT_MAX, Math.max(0, n));
}

/** A complete, valid view from anything (a stored preference of another version, a partial one). */
export function chartViewOf(value: unknown): ChartView {
  const v = (value && typeof value === 'object' ? value : {}) as Partial<Record<keyof ChartView, unknown>>;
  return {
    smoothing: (SMOOTHING_MODES as readonly unknown[]).includes(v.smoothing)
      ? (v.smoothing as SmoothingMode)
      : DEFAULT_CHART_VIEW.smoothing,
    emaWeight: v.emaWeight === undefined ? DEFAULT_CHART_VIEW.emaWeight : emaWeightOf(v.emaWeight),
    yScale: (Y_SCALES as readonly unknown[]).includes(v.yScale) ? (v.yScale as YScale) : DEFAULT_CHART_VIEW.yScale,
    // Views stored before fitY existed have none: the book's range.
    fitY: typeof v.fitY === 'boolean' ? v.fitY : DEFAULT_CHART_VIEW.fitY,
  };
}
