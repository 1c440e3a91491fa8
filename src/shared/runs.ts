import { z } from 'zod';
import { BACKEND_NAMES } from './backends';
import { METRICS, seriesKeySchema } from './series';
import { insideSpreadSchema } from './inside';
import { testEvaluationSchema } from './final-test';

/** The run record: the export format of every run (docs/RUN-RECORD.md). Keep it stable. */

/** Format 2 added `formatVersion` and each series' `key`; format 1 records are read through upgradeRunRecord. */
export const RUN_RECORD_VERSION = 2;

/** `queued`: waiting for a free slot (LabService's maxConcurrentRuns); it has no points yet. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'cancelled', 'failed', 'diverged'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const seriesSchema = z.object({
  /** The display name, unique within a run; never parsed: `key` says what the series is. */
  name: z.string().min(1),
  metric: z.enum(METRICS),
  key: seriesKeySchema,
  x: z.array(z.number()),
  y: z.array(z.number()),
  /** The x at which the metric became NaN or infinite; the series stops there. */
  divergedAt: z.number().optional(),
});
export type Series = z.output<typeof seriesSchema>;

/** What the learner keeps with a run: free-text notes, tags, a star (favourites on top). */
export const runMetaSchema = z.object({
  notes: z.string().max(20_000),
  tags: z.array(z.string().trim().min(1).max(40)).max(20),
  starred: z.boolean(),
});
export type RunMeta = z.output<typeof runMetaSchema>;
export const EMPTY_RUN_META: RunMeta = { notes: '', tags: [], starred: false };

/** One number that sums a run up (the slot's keyResults: final smoothed loss of SGD, Best-1 val acc, ...). */
export const keyResultSchema = z.object({ label: z.string(), value: z.number().nullable() });

/**
 * One of the book's claims (the slot's `claims`) as checked on the run when it ended: whether it holds,
 * with the numbers behind it in English. Claims the run could not say are left out.
 */
export const claimOutcomeSchema = z.object({ id: z.string().min(1), holds: z.boolean(), detail: z.string() });
export type ClaimOutcome = z.output<typeof claimOutcomeSchema>;

const recordFields = {
  id: z.string().optional(),
  experiment: z.string(),
  params: z.record(z.string(), z.unknown()),
  seed: z.number(),
  backend: z.enum(BACKEND_NAMES),
  dataset: z.string().optional(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  summary: z.record(z.string(), z.unknown()),
  error: z.string().optional(),
  /** The book's claims checked on the run as it ended (absent in records from before claims). */
  claims: z.array(claimOutcomeSchema).optional(),
  /** The spread of each layer's outputs recorded inside the nets (runs with `insideEvery`; shared/inside.ts). */
  inside: insideSpreadSchema.optional(),
  /** Step 4 of a search: the chosen trial trained again and measured on the test data, once (final-test.ts). */
  testEvaluation: testEvaluationSchema.optional(),
  /** The learner's notes, tags and star; absent until first edited. */
  meta: runMetaSchema.optional(),
};

export const runRecordSchema = z.object({
  formatVersion: z.literal(RUN_RECORD_VERSION),
  ...recordFields,
  series: z.array(seriesSchema),
});
export type RunRecord = z.output<typeof runRecordSchema>;

/** A series as any format stored it: format 1 had no key (and metrics outside today's list may appear). */
export const storedSeriesSchema = seriesSchema.extend({
  metric: z.string().min(1),
  key: seriesKeySchema.optional(),
});
export type StoredSeries = z.output<typeof storedSeriesSchema>;

/** A record as any format stored it; upgradeRunRecord (record-upgrade.ts) turns it into today's. */
export const storedRunRecordSchema = z.object({
  formatVersion: z.number().int().min(1).max(RUN_RECORD_VERSION).optional(),
  ...recordFields,
  series: z.array(storedSeriesSchema),
});
export type StoredRunRecord = z.output<typeof storedRunRecordSchema>;

/** A point batch for one series: what progress events carry and history files append. */
export const pointsSchema = z.object({
  series: z.string(),
  metric: z.enum(METRICS),
  key: seriesKeySchema,
  x: z.array(z.number()),
  y: z.array(z.number()),
});
export type Points = z.output<typeof pointsSchema>;

/** A point batch as any format stored it (format 1 had no key). */
export const storedPointsSchema = pointsSchema.extend({ metric: z.string().min(1), key: seriesKeySchema.optional() });
export type StoredPoints = z.output<typeof storedPointsSchema>;
