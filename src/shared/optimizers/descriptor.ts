import { z } from 'zod';
import type { Locale } from '../locale';
import type { Optimizer } from './optimizer';

/**
 * A hyper-parameter of an optimizer besides its learning rate: its schema (the book's default and the
 * limits; the schema's label is the English one) and its label in every language.
 */
export interface HyperParam {
  schema: z.ZodDefault<z.ZodNumber>;
  label: Record<Locale, string>;
}

export type HyperParams = Record<string, HyperParam>;

/** A hyper-parameter in [0, 1): a momentum, a decay rate, Adam's betas. */
export const rateParam = (book: number, label: Record<Locale, string>): HyperParam => ({
  schema: z.number().min(0).lt(1).default(book).meta({ label: label.en }),
  label,
});

/** What `create` gets: a validated spec's learning rate and hyper-parameters. */
export type OptimizerSettings<H extends HyperParams> = { lr: number } & { [K in keyof H]: number };

/**
 * An update rule as the engine computes it, in TeX, with its caption in every language and the symbol
 * of each of its fields (`lr` and every hyper-parameter: the concept panel ties the symbol to the form
 * field `optimizers.<name>.<field>`).
 */
export interface OptimizerFormula<H extends HyperParams> {
  tex: string;
  caption: Record<Locale, string>;
  symbols: { [K in 'lr' | (keyof H & string)]: string };
}

/**
 * Everything the lab knows of one optimizer; every field is required, so a descriptor missing one
 * does not compile. The list in ./index.ts derives the rest (names, spec schemas, formulas, colours,
 * labels, the memory model's counts, `createOptimizer`).
 */
export interface OptimizerDescriptor<Name extends string = string, H extends HyperParams = HyperParams> {
  /** The spec's `name`, the series' key, the `optimizers.<name>.<field>` paths of forms and `--set`. */
  name: Name;
  /** What it does, in a few words in every language (the form shows it beside the name). */
  label: Record<Locale, string>;
  /** The default learning rate: the book's (common/optimizer.py) for the book's six. */
  bookLr: number;
  /** Its default learning rate on the toy function of Fig. 6-8 (optimizer-paths), where it walks visibly. */
  toyLr: number;
  /** Its hyper-parameters besides the learning rate, with the book's defaults. */
  hyper: H;
  /** Its update rule exactly as its `update` computes it (concept panels, chapter notes). */
  formula: OptimizerFormula<H>;
  /** Its colour in every chart (`#rrggbb`). */
  color: string;
  /** How many float64 state arrays per parameter it keeps (Momentum's v, Adam's m and v): the memory model. */
  stateArrays: number;
  /** The optimizer for a validated spec. */
  create(settings: OptimizerSettings<H>): Optimizer;
}

/** Declares an optimizer, checking its formula's symbols and `create` against its own hyper-parameters. */
export const defineOptimizer = <const Name extends string, H extends HyperParams>(
  descriptor: OptimizerDescriptor<Name, H>,
): OptimizerDescriptor<Name, H> => descriptor;

/** ∂L/∂W in TeX. */
export const GRAD = String.raw`\frac{\partial L}{\partial W}`;
/** The constant the updates add beside every square root (./optimizer.ts EPSILON), in TeX. */
export const EPSILON_TEX = '10^{-7}';
