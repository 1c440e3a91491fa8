import type { Locale } from './locale';

/** A symbol of a concept formula tied to the form field that sets it (η is `lr`, α is `momentum`). */
export interface ConceptSymbol {
  /** The symbol in TeX, as the formula writes it. */
  symbol: string;
  /** The parameter's path in the slot's params, as flattenParams names it: `lr`, `optimizers.Momentum.momentum`. */
  param: string;
}

/** One formula of a concept, in TeX (KaTeX renders it; a formula it cannot parse fails the slot tests). */
export interface ConceptFormula {
  tex: string;
  caption: Record<Locale, string>;
  symbols?: readonly ConceptSymbol[];
}
