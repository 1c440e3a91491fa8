import { type AccuracyPanel, TEST_COLOR, TRAIN_COLOR, accuracyPanelsOption, lastY } from '../charts/accuracy';
import { seriesColors } from '../charts/colors';
import { type ChartDefinition, type FigureContext, type FigureInput, frameEnd, lossFigure } from '../charts/figures';
import { countPoints } from '../charts/panels';
import { type SeedSpread, differenceSeries, seedSpread } from '../charts/seed-spread';
import type { Series } from '../runs';
import type { Metric } from '../series';
import { type WorkbenchParams, drawnName, epochsOf, evaluationMetric, updatesOf } from './workbench-params';

/*
 * The workbench's figures: the loss per update (Fig. 6-9's smoothing), train and evaluation accuracy
 * per epoch (Fig. 6-20's pairs, one panel per variant) and the generalisation gap. Each variant's curve
 * is the mean over its seeds, with the lowest and highest seed as a band.
 */

/** The variants of a run in the order of its parameters (then any others its series name). */
export function variantNames(series: readonly Series[], params: WorkbenchParams | null): string[] {
  const named = params?.variants.map((v) => v.name) ?? [];
  const seen = series.flatMap((s) => (s.key.variant === undefined ? [] : [s.key.variant]));
  return [...new Set([...named, ...seen])];
}

/** A variant's repeats of one metric, in seed order. */
export function repeatsOf(series: readonly Series[], variant: string, metric: Metric): Series[] {
  return series
    .filter((s) => s.key.variant === variant && s.metric === metric)
    .sort((a, b) => (a.key.replicate ?? 0) - (b.key.replicate ?? 0));
}

/** The spread of a variant's metric over its seeds (null before any point), named by drawnName. */
export function variantSpread(series: readonly Series[], variant: string, metric: Metric): SeedSpread | null {
  return seedSpread(repeatsOf(series, variant, metric), drawnName(variant, metric));
}

/** The evaluation metric a run measured: its parameters', or what its series show. */
export function measuredEvaluation(series: readonly Series[], params: WorkbenchParams | null): Metric | null {
  if (params) return evaluationMetric(params.evaluation);
  return series.find((s) => s.metric === 'test accuracy' || s.metric === 'validation accuracy')?.metric ?? null;
}

/** Per variant and seed, train minus evaluation accuracy. */
function gapRepeats(series: readonly Series[], variant: string, evaluation: Metric): Series[] {
  const train = repeatsOf(series, variant, 'train accuracy');
  const other = repeatsOf(series, variant, evaluation);
  return train.flatMap((t) => {
    const e = other.find((o) => o.key.replicate === t.key.replicate);
    return e ? [differenceSeries(t, e, `${variant} · gap`)] : [];
  });
}

/** "final: train 1.00 · validation 0.76 · gap 0.24" under a variant's panel (the means over its seeds). */
function finalFooter(train: Series | undefined, other: Series | undefined, evaluation: string, ctx: FigureContext) {
  const [a, b] = [lastY(train), lastY(other)];
  if (a === undefined || b === undefined) return [];
  return [ctx.t('workbench.final', { train: a.toFixed(2), evaluation, value: b.toFixed(2), gap: (a - b).toFixed(2) })];
}

export function workbenchFigures(
  { series, params }: FigureInput<WorkbenchParams>,
  ctx: FigureContext,
): ChartDefinition[] {
  const variants = variantNames(series, params);
  const colors = seriesColors(variants);
  const figures: ChartDefinition[] = [];

  const losses = variants.flatMap((v) => variantSpread(series, v, 'loss') ?? []);
  const spread = Object.fromEntries(variants.map((v) => [v, repeatsOf(series, v, 'loss')]));
  figures.push({
    ...lossFigure(
      ctx,
      ctx.t('workbench.loss'),
      losses.map((s) => s.mean),
      null,
      params ? updatesOf(params) : undefined,
      spread,
    ),
    series: series.filter((s) => s.metric === 'loss'),
  });

  const evaluation = measuredEvaluation(series, params);
  if (evaluation === null) return figures;
  const evaluationName = ctx.t(`workbench.${evaluation === 'test accuracy' ? 'test' : 'validation'}`);
  const epochs = params ? epochsOf(params) : undefined;
  const accuracySeries = series.filter((s) => s.metric === 'train accuracy' || s.metric === evaluation);

  const panels: AccuracyPanel[] = variants.map((variant) => {
    const train = variantSpread(series, variant, 'train accuracy');
    const other = variantSpread(series, variant, evaluation);
    const repeats = repeatsOf(series, variant, 'train accuracy').length;
    return {
      title: variant,
      footer: [
        ...finalFooter(train?.mean, other?.mean, evaluationName, ctx),
        ...(repeats > 1 ? [ctx.t('workbench.seeds', { n: repeats })] : []),
      ],
      bands: [
        ...(train && train.repeats > 1 ? [{ low: train.low, high: train.high, color: TRAIN_COLOR }] : []),
        ...(other && other.repeats > 1 ? [{ low: other.low, high: other.high, color: TEST_COLOR }] : []),
      ],
      curves: [
        { series: train?.mean, name: ctx.t('gap.train'), color: TRAIN_COLOR },
        { series: other?.mean, name: evaluationName, color: TEST_COLOR },
      ],
    };
  });
  const accuracyTitle = ctx.t('workbench.accuracy', { evaluation: evaluationName });
  const rows = Math.ceil(variants.length / 2);
  const accuracyHeight = 140 + 320 * rows;
  figures.push({
    key: 'accuracy',
    title: accuracyTitle,
    option: accuracyPanelsOption(panels, {
      t: ctx.t,
      title: ctx.embed ? accuracyTitle : undefined,
      interactive: ctx.interactive,
      height: accuracyHeight,
      xMax: frameEnd(ctx, epochs),
      layout: { cols: Math.min(2, Math.max(1, variants.length)), bottom: 76, left: 7, right: 2, gapX: 6, gapY: 84 },
      legend: [
        { name: ctx.t('gap.train'), color: TRAIN_COLOR },
        { name: evaluationName, color: TEST_COLOR },
      ],
    }),
    width: 1000,
    height: accuracyHeight,
    points: countPoints(accuracySeries),
    series: accuracySeries,
  });

  const gaps = variants.map((variant) => seedSpread(gapRepeats(series, variant, evaluation), `${variant} · gap`));
  const gapTitle = ctx.t('workbench.gap', { evaluation: evaluationName });
  const gapPanel: AccuracyPanel = {
    // The x axis at the bottom of the panel, where its labels are, not on the gap's 0.
    xAxis: { axisLine: { onZero: false } },
    curves: variants.map((variant, i) => ({ series: gaps[i]?.mean, name: variant, color: colors[i]! })),
    bands: gaps.flatMap((g, i) => (g && g.repeats > 1 ? [{ low: g.low, high: g.high, color: colors[i]! }] : [])),
  };
  const gapRange = gaps.flatMap((g) => (g ? [...g.low.y, ...g.high.y] : [])).filter(Number.isFinite);
  figures.push({
    key: 'gap',
    title: gapTitle,
    option: accuracyPanelsOption([gapPanel], {
      t: ctx.t,
      title: ctx.embed ? gapTitle : undefined,
      interactive: ctx.interactive,
      height: 420,
      xMax: frameEnd(ctx, epochs),
      layout: { cols: 1, bottom: 60, left: 9, right: 3, gapX: 0, gapY: 0 },
      legend: variants.map((variant, i) => ({ name: variant, color: colors[i]! })),
      y: {
        name: ctx.t('workbench.gapAxis', { evaluation: evaluationName }),
        min: Math.min(0, Math.floor(Math.min(0, ...gapRange) * 10) / 10),
        max: Math.max(0.2, Math.ceil(Math.max(0, ...gapRange) * 10) / 10),
        interval: 0.1,
      },
    }),
    width: 900,
    height: 420,
    points: countPoints(gaps.flatMap((g) => (g ? [g.mean] : []))),
    series: accuracySeries,
  });
  return figures;
}
