import type { z } from 'zod';
import type { ChartDefinition, FigureContext, FigureInput } from '../charts/figures';
import type { RunRecord, Series } from '../runs';
import type { Metric, SeriesKey } from '../series';

/** The languages of the lab: every experiment's text comes in each. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export interface ExperimentText {
  title: string;
  summary: string;
}

/** Where the experiment is in the book. */
export interface BookReference {
  /** The chapter's section, e.g. "6.3.2". */
  section: string;
  /** The figures it reproduces, e.g. "Fig. 6-18, 6-19". */
  figure: string;
  /** The book's script it reproduces (oreilly-japan/deep-learning-from-scratch), e.g. "ch06/batch_norm_test.py". */
  script: string;
}

/** A text file `lab figures` writes beside the PNGs (the search's Best-k table). */
export interface TextFigure {
  /** File name suffix: `<experiment>-<suffix>.txt`. */
  suffix: string;
  lines: string[];
}

/** One number that sums a run up (final smoothed loss of SGD, final test accuracy, Best-1's val acc). */
export interface KeyResult {
  label: string;
  value: number | null;
}

/** What a claim says of one run: whether it holds, with the numbers behind it in every language. */
export interface ClaimResult {
  holds: boolean;
  /** The numbers behind the verdict, e.g. "loss 2.30 after 2,000 iterations". */
  detail: Record<Locale, string>;
}

/** What a claim reads: a run's series (selected by key), its summary and its parameters when they validate. */
export interface ClaimRun<P = unknown> {
  series: readonly Series[];
  summary: Record<string, unknown>;
  params: P | null;
}

/**
 * One claim the book makes of an experiment's figure ("std 0.01 does not learn"), checked on a run:
 * `check` gives holds / does not hold with its numbers, or null when the run cannot say (too short, a
 * series it needs is missing). Method syntax on purpose: each slot's claims take its own parameters.
 */
export interface Claim<P = unknown> {
  id: string;
  text: Record<Locale, string>;
  check(run: ClaimRun<P>): ClaimResult | null;
}

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

/** One step of a procedure (the search's), and the state of the learner's run it stands for. */
export interface ConceptStep {
  /** The book's number of the step (its §6.5.3 counts from 0). */
  n: number;
  text: Record<Locale, string>;
  /** Shown as the current step before any run, while a run goes, or once a run has ended. */
  when: 'idle' | 'running' | 'ended';
}

/** The chapter's concept behind an experiment: its formulas, what to look for in the figure, its steps. */
export interface Concept {
  formulas: readonly ConceptFormula[];
  /** What to look for in the figure, in two or three sentences. */
  lookFor: Record<Locale, string>;
  steps?: readonly ConceptStep[];
}

/** Page pieces an experiment adds to its page and run view, beside its figures. */
export interface PagePieces {
  /** The table of trials ranked by validation accuracy (the hyper-parameter search). */
  trialsTable: boolean;
}

/**
 * One experiment, in one place: its id, where it is in the book, its title and summary in every
 * language, its parameters (schema with the book's defaults, limits and labels), what its series
 * measure, its figures, page pieces, and how series of format-1 records are identified. The engine
 * module that runs it is the one other place (src/engine/experiments/registry.ts, a table over the
 * same ids). Method syntax on purpose: each slot's functions take its own typed parameters.
 */
export interface ExperimentSlot<Id extends string = string, S extends z.ZodType = z.ZodType> {
  id: Id;
  book: BookReference;
  text: Record<Locale, ExperimentText>;
  params: S;
  /** What the x axis counts. */
  xLabel: 'iteration' | 'epoch' | 'step' | 'bin';
  /**
   * How many of the lab's run slots (the "runs at once" setting) a run takes: `one`, or `all` for a run
   * whose independent members are themselves parallel runs (the search's trials), so that they count
   * against the setting. A run trains its members on as many threads as its slots are worth.
   */
  runSlots: 'one' | 'all';
  metrics: readonly Metric[];
  /** The run's figures (the window and `lab figures` draw these). */
  figures(input: FigureInput<z.output<S>>, ctx: FigureContext): ChartDefinition[];
  page: PagePieces;
  /** The concept panel beside the figures: formulas tied to the form, what to look for, steps. */
  concept: Concept;
  /** The numbers that sum a run up, for tables and comparisons (the same for a live run and its record). */
  keyResults(run: { series: readonly Series[]; summary: Record<string, unknown> }): KeyResult[];
  /** The book's claims about the figure, checked on every run (the record, `lab run`, the run page, the tests). */
  claims: readonly Claim<z.output<S>>[];
  /** Text files beside the PNG figures. */
  textFigures(record: RunRecord, params: z.output<S> | null): TextFigure[];
  /**
   * What a series of a format-1 record (identified by its name only) is; `params` are the record's, when they
   * validate.
   */
  legacySeriesKey(name: string, params: z.output<S> | null, summary: Record<string, unknown>): SeriesKey;
}

/** Declares a slot, checking its functions against its own parameter schema. */
export const defineExperiment = <const Id extends string, S extends z.ZodType>(
  slot: ExperimentSlot<Id, S>,
): ExperimentSlot<Id, S> => slot;
