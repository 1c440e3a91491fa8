import type { InsideSpread } from '../inside';
import type { z } from 'zod';
import type { ChartDefinition, FigureContext, FigureInput } from '../charts/figures';
import type { ConceptFormula } from '../concept-formula';
import type { Locale } from '../locale';
import type { MemoryWorkload } from '../memory-model';
import type { NetworkShape } from '../network-shape';
import type { RunRecord, Series } from '../runs';
import type { Metric, SeriesKey } from '../series';

// The languages and the concept formulas live below the slots (the optimizers' descriptors use them too).
export { LOCALES, type Locale } from '../locale';
export type { ConceptFormula, ConceptSymbol } from '../concept-formula';

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
  /** The spread of the layers' outputs recorded inside the nets (runs that recorded inside: shared/inside.ts). */
  inside?: InsideSpread | null;
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

/** One step of a procedure (the search's), and the state of the learner's run it stands for. */
export interface ConceptStep {
  /** The book's number of the step (its §6.5.3 counts from 0). */
  n: number;
  text: Record<Locale, string>;
  /** Shown as the current step before any run, while a run goes, or once a run has ended. */
  when: 'idle' | 'running' | 'ended';
}

/** The chapter's concept behind an experiment: its formulas, what to look for in the figure, its steps. */
export interface Concept<P = unknown> {
  formulas: readonly ConceptFormula[];
  /** The formulas of the parts these parameters use (the workbench's), in place of `formulas`. */
  compose?(params: P): readonly ConceptFormula[];
  /** What to look for in the figure, in two or three sentences. */
  lookFor: Record<Locale, string>;
  steps?: readonly ConceptStep[];
}

/** Page pieces an experiment adds to its page and run view, beside its figures. */
export interface PagePieces<P = unknown> {
  /** The table of trials ranked by validation accuracy (the hyper-parameter search). */
  trialsTable: boolean;
  /**
   * Fig. 6-8's step slider over the run's paths, in the place of the net it trains (Fig. 6-16, from
   * `network`): the toy function's page.
   */
  pathStepper: boolean;
  /** Fig. 6-22 beside the net: dropout's masks with the ratio and seed of the form's parameters; absent: none. */
  dropoutMasks?(params: P): { ratio: number; seed: number };
}

/**
 * One experiment, in one place: its id, where it is in the book, its title and summary in every
 * language, its parameters (schema with the book's defaults, limits and labels), what its series
 * measure, its figures, page pieces, how series of format-1 records are identified, the net it trains
 * (Fig. 6-16), the memory it needs and its golden run's sizes. The engine module that runs it is the
 * one other place (src/engine/experiments/registry.ts, a table over the same ids). Method syntax on
 * purpose: each slot's functions take its own typed parameters.
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
  page: PagePieces<z.output<S>>;
  /** The concept panel beside the figures: formulas tied to the form, what to look for, steps. */
  concept: Concept<z.output<S>>;
  /** The numbers that sum a run up, for tables and comparisons (the same for a live run and its record). */
  keyResults(run: { series: readonly Series[]; summary: Record<string, unknown> }): KeyResult[];
  /** The book's claims about the figure, checked on every run (the record, `lab run`, the run page, the tests). */
  claims: readonly Claim<z.output<S>>[];
  /**
   * Where the claims come from: the book (default; a claim that fails on a run with other settings
   * than the book's names them), or checks any run answers alike (the workbench's, which has no book
   * settings).
   */
  claimSource?: 'book' | 'any run';
  /** Text files beside the PNG figures. */
  textFigures(record: RunRecord, params: z.output<S> | null): TextFigure[];
  /**
   * What a series of a format-1 record (identified by its name only) is; `params` are the record's, when they
   * validate.
   */
  legacySeriesKey(name: string, params: z.output<S> | null, summary: Record<string, unknown>): SeriesKey;
  /**
   * Fig. 6-16: the net it trains with these parameters, drawn beside the form (built with the helpers of
   * network-shape.ts); null when it trains none.
   */
  network(params: z.output<S>): NetworkShape | null;
  /**
   * What these parameters make its engine module hold, as the memory budget sees it (memory-budget.ts):
   * its nets, mini-batch, accuracy sets and how many nets a thread trains side by side (built with the
   * helpers of memory-workloads.ts), or the arrays of an experiment that trains no net.
   */
  memory(params: z.output<S>): MemoryWorkload;
  /**
   * Reduced sizes for its golden record (fixtures/golden/<id>.json): engine/golden.test.ts runs it at
   * these and compares every number with the saved record (`DLFS_WRITE_GOLDEN=1` writes a missing one).
   */
  goldenParams: Partial<z.input<S>>;
}

/** Declares a slot, checking its functions against its own parameter schema. */
export const defineExperiment = <const Id extends string, S extends z.ZodType>(
  slot: ExperimentSlot<Id, S>,
): ExperimentSlot<Id, S> => slot;
