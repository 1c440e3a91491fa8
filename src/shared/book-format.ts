import { type SearchedValues, searchedValuesText } from './searchable';

/** Numbers and lines printed the way the book's Python scripts print them. */

/** A number as Python's str() prints it after rounding to `digits` significant digits: 0.0092, 3.8e-07. */
export function pythonFloat(value: number, digits = 2): string {
  const rounded = Number(value.toPrecision(digits));
  if (Number.isInteger(rounded)) return rounded.toFixed(1);
  if (Math.abs(rounded) >= 1e-4) return String(rounded);
  const [mantissa, exponent] = rounded.toExponential().split('e') as [string, string];
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}

/** The hyper-parameters one search trial trains with: the book's two, and any more it searched. */
export interface TrialHyperparameters {
  lr: number;
  weightDecay: number;
  also?: SearchedValues;
}

/** ` | hidden layers:3, optimizer:Adam` after a trial's line when it searched more than lr and weight decay. */
export const alsoSuffix = (also: SearchedValues | undefined): string => {
  const text = searchedValuesText(also);
  return text ? ` | ${text}` : '';
};

/**
 * The book's ranking line for the trial in place `rank` (1-based):
 * `Best-1(val acc:0.83) | lr:0.0092, weight decay:3.8e-07`.
 */
export const bestTrialLine = (rank: number, trial: TrialHyperparameters & { validationAccuracy: number }): string =>
  `Best-${rank}(val acc:${pythonFloat(trial.validationAccuracy)}) | lr:${pythonFloat(trial.lr)}, weight decay:${pythonFloat(trial.weightDecay)}${alsoSuffix(trial.also)}`;
