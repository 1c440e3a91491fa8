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
  metrics: readonly Metric[];
  /** The run's figures (the window and `lab figures` draw these). */
  figures(input: FigureInput<z.output<S>>, ctx: FigureContext): ChartDefinition[];
  page: PagePieces;
  /** The numbers that sum a run up, for tables and comparisons (the same for a live run and its record). */
  keyResults(run: { series: readonly Series[]; summary: Record<string, unknown> }): KeyResult[];
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
