import { z } from 'zod';
import { BACKEND_NAMES } from './backends';
import { pointsSchema, runRecordSchema } from './runs';
import { METRICS, seriesKeySchema } from './series';
import { trainedNetsSchema } from './trained-nets';
import { runInsideSchema } from './inside';

/** What a running experiment tells its host, batched a few times a second. */
export const progressEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    experiment: z.string(),
    backend: z.enum(BACKEND_NAMES),
    params: z.record(z.string(), z.unknown()),
    totalSteps: z.number(),
    startedAt: z.string(),
  }),
  z.object({
    type: z.literal('progress'),
    step: z.number(),
    totalSteps: z.number(),
    points: z.array(pointsSchema),
    log: z.array(z.string()),
  }),
  /** A series became NaN or infinite at x = `at` (it may have no point yet): its name, metric and key. */
  z.object({
    type: z.literal('diverged'),
    series: z.string(),
    metric: z.enum(METRICS),
    key: seriesKeySchema,
    at: z.number(),
  }),
  /** The nets the run trained, kept (before 'finished'; the host saves them beside the record, issue #19). */
  z.object({ type: z.literal('nets'), nets: trainedNetsSchema }),
  /** What the run recorded inside its nets (before 'finished'; the host saves it beside the record, issue #19). */
  z.object({ type: z.literal('inside'), inside: runInsideSchema }),
  z.object({ type: z.literal('finished'), record: runRecordSchema }),
]);
export type ProgressEvent = z.output<typeof progressEventSchema>;
