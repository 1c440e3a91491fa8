import type { z } from 'zod';

/** What every experiment declares once: id, book figure, parameter schema (book defaults, limits, labels). */
export interface ExperimentDefinition<S extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  figure: string;
  summary: string;
  params: S;
  /** What the x axis counts and what the series measure, for charts and the run record. */
  xLabel: 'iteration' | 'epoch' | 'step' | 'bin';
  metrics: readonly string[];
}
