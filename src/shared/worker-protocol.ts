import { z } from 'zod';
import { BACKEND_NAMES } from './backends';
import { runIdSchema, startRunRequestSchema } from './api';
import { progressEventSchema } from './events';
import { experimentIdSchema } from './experiments';
import { chosenTrialSchema, testEvaluationSchema } from './final-test';

/** Messages between a host (Electron main or the web host) and a training worker process. */

export const hostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('warmup'), dataDir: z.string() }),
  startRunRequestSchema.extend({
    type: z.literal('start'),
    experiment: experimentIdSchema,
    runId: runIdSchema,
    dataDir: z.string(),
    /** Worker threads for the run's independent members: the threads its run slots are worth. */
    threads: z.number().int().min(1),
    /** A search's trials go to the lab workers of this Redis (the setting). */
    trialQueue: z.string().max(2048).optional(),
  }),
  z.object({ type: z.literal('cancel'), runId: runIdSchema }),
  /** Step 4 of a search (final-test.ts): its parameters (as recorded) and the chosen trial. */
  z.object({
    type: z.literal('final-test'),
    runId: runIdSchema,
    params: z.record(z.string(), z.unknown()),
    chosen: chosenTrialSchema,
    dataDir: z.string(),
  }),
]);
export type HostToWorker = z.output<typeof hostToWorkerSchema>;

export const workerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), backend: z.enum(BACKEND_NAMES) }),
  z.object({ type: z.literal('event'), runId: runIdSchema, event: progressEventSchema }),
  /** The run could not start (bad parameters, unreadable dataset): no record was made. */
  z.object({ type: z.literal('rejected'), runId: runIdSchema, error: z.string() }),
  /** Step 4's result for the search `runId`, or why there is none. */
  z.object({ type: z.literal('final-tested'), runId: runIdSchema, evaluation: testEvaluationSchema }),
  z.object({ type: z.literal('final-test-failed'), runId: runIdSchema, error: z.string() }),
]);
export type WorkerToHost = z.output<typeof workerToHostSchema>;
