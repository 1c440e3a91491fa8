import { z } from 'zod';
import { BACKEND_NAMES } from './backends';

/** The run record: the export format of every run (docs/RUN-RECORD.md). Keep it stable. */

export const RUN_STATUSES = ['running', 'completed', 'cancelled', 'failed', 'diverged'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const seriesSchema = z.object({
  name: z.string().min(1),
  metric: z.string().min(1),
  x: z.array(z.number()),
  y: z.array(z.number()),
  /** The x at which the metric became NaN or infinite; the series stops there. */
  divergedAt: z.number().optional(),
});
export type Series = z.output<typeof seriesSchema>;

export const runRecordSchema = z.object({
  id: z.string().optional(),
  experiment: z.string(),
  params: z.record(z.string(), z.unknown()),
  seed: z.number(),
  backend: z.enum(BACKEND_NAMES),
  dataset: z.string().optional(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  series: z.array(seriesSchema),
  summary: z.record(z.string(), z.unknown()),
  error: z.string().optional(),
});
export type RunRecord = z.output<typeof runRecordSchema>;

/** A point batch for one series: what progress events carry and history files append. */
export const pointsSchema = z.object({
  series: z.string(),
  metric: z.string(),
  x: z.array(z.number()),
  y: z.array(z.number()),
});
export type Points = z.output<typeof pointsSchema>;
