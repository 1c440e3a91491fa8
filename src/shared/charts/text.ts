/**
 * The words of the figures, in English: the headless renderer uses them as they are, the lab's window
 * takes the same keys from its i18n messages (en.ts embeds this object as `figure`, zh-CN.ts translates
 * it). Placeholders are `{name}`; vue-i18n's syntax rules apply (no bare | @ { } in a message).
 */
export const FIGURE_TEXT = {
  iterations: 'iterations',
  epochs: 'epochs',
  loss: 'loss',
  accuracy: 'accuracy',
  raw: 'raw',
  smoothed: 'smoothed',
  diverged: 'diverged at it. {at}',
  divergedEpoch: 'diverged at epoch {at}',
  lossTitle: 'Training loss (smoothed: bold; every iteration: faint)',
  lossInitTitle: 'Training loss by weight init (smoothed: bold; every iteration: faint)',
  paths: {
    overlay: 'All update paths on the contour of f(x, y) = x²/20 + y²',
    panels: 'One panel per optimizer (the book’s layout)',
    step: 'step {step}',
    diverged: 'diverged at step {at}',
    position: 'position',
    gradient: 'gradient',
    start: 'start',
    minimum: 'minimum (0, 0)',
    clickHint: 'Click on the contour to set the start point.',
  },
  histograms: {
    title: 'Activation distribution: {activation}, weight init {init}',
    grid: 'Activation distributions: every activation × weight init',
    layer: 'layer {k}',
    stats: 'μ {mean} · σ {std}',
    saturated: 'saturated {pct}',
    zero: 'zero {pct}',
    outside: 'outside the range {pct}',
    count: 'count',
    value: 'activation value',
  },
  batchNorm: {
    title: 'Train accuracy with and without Batch Norm, by weight scale',
    withBn: 'Batch Normalization',
    without: 'Normal (without Batch Norm)',
    panel: 'W:{std}',
  },
  gap: {
    weightDecay: 'Train and test accuracy: λ = 0 vs λ = {lambda} (gap shaded)',
    dropoutTitle: 'Train and test accuracy: without vs with dropout (gap shaded)',
    train: 'train',
    test: 'test',
    final: 'final: train {train} · test {test} · gap {gap}',
    noDecay: 'λ = 0 (overfitting)',
    decay: 'λ = {lambda} (weight decay)',
    noDropout: 'without dropout',
    dropout: 'dropout ratio {ratio}',
  },
  workbench: {
    loss: 'Training loss per variant (smoothed; band: lowest to highest seed)',
    accuracy: 'Train and {evaluation} accuracy per variant (band: lowest to highest seed)',
    gap: 'Generalisation gap: train minus {evaluation} accuracy (band: lowest to highest seed)',
    gapAxis: 'train − {evaluation}',
    test: 'test',
    validation: 'validation',
    seeds: 'mean of {n} seeds',
    final: 'final: train {train} · {evaluation} {value} · gap {gap}',
  },
  search: {
    scatter: 'Validation accuracy by learning rate and weight decay',
    best: 'The best {n} trials (validation: solid; train: dashed)',
    lr: 'learning rate',
    weightDecay: 'weight decay',
    valAcc: 'validation accuracy',
    trainAcc: 'train accuracy',
    trial: 'trial {k}',
    rank: 'Best-{k}',
    train: 'train',
    validation: 'validation',
    diverged: 'diverged (its accuracy when it stopped)',
  },
  inside: {
    layer: 'layer {k}',
    share: 'share of values (%)',
    value: 'value',
    update: 'update',
    at: 'at update {step}',
    stats: 'mean {mean}, std {std}',
    nonFinite: '{n} NaN or infinite',
    quantity: {
      activation: 'Activations',
      normalized: 'Batch Norm outputs',
      weight: 'Weights',
      gradient: 'Gradients of the weights',
    },
    curve: {
      gradientNorm: 'Gradient norm ‖dW‖ per layer',
      updateRatio: 'Update / weight ratio ‖ΔW‖ / ‖W‖ per layer',
      activationStd: 'Standard deviation of the activations per layer',
    },
    ridgeline: '{quantity} of layer {k} over training',
  },
};

export type FigureText = typeof FIGURE_TEXT;

/** Looks a message up by its dotted key (relative to `figure.`) and fills its placeholders. */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The English figure text: what the headless renderer and the tests use. */
export const englishText: Translate = (key, named) => {
  let node: unknown = FIGURE_TEXT;
  for (const part of key.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  const message = typeof node === 'string' ? node : key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (named && name in named ? String(named[name]) : whole));
};

/** A number for a label: 0.0092 -> "0.0092", 3.8e-7 -> "3.8e-7", 0.83333 -> "0.83". */
export function shortNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e5) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

/** A percentage (already × 100): 76.331 -> "76%", 4.21 -> "4.2%". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${value.toFixed(value < 10 ? 1 : 0)}%`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
