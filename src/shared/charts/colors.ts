import { OPTIMIZER_COLORS } from '../optimizers';

/**
 * One colour per series name, the same in every chart and every run. The optimizers get their
 * descriptors' colours (matplotlib's for the book's Fig. 6-9: SGD blue, Momentum orange, AdaGrad green,
 * Adam red); any other name takes the next free colour of the palette.
 */
export const NAMED_COLORS: Readonly<Record<string, string>> = OPTIMIZER_COLORS;

export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/**
 * One marker per series of a figure, in the legend's order, so curves stay apart without their colour
 * (WCAG 1.4.1): the loss figure marks each curve with its symbol every tenth of the run, as the book's
 * Fig. 6-9 marks every 100th iteration, and its legend shows the same symbol.
 */
export const SERIES_SYMBOLS = [
  'circle',
  'triangle',
  'rect',
  'diamond',
  'emptyCircle',
  'pin',
  'roundRect',
  'arrow',
] as const;

/** Colours for the given names, in order: named ones fixed, the rest from the palette's unused colours. */
export function seriesColors(names: readonly string[], overrides: Readonly<Record<string, string>> = {}): string[] {
  const fixed = names.map((name) => overrides[name] ?? NAMED_COLORS[name]);
  const free = PALETTE.filter((c) => !fixed.includes(c));
  let next = 0;
  return fixed.map((c) => c ?? free[next++ % free.length] ?? '#333333');
}
