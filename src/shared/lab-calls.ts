import { z } from 'zod';
import { runMetaSchema } from './runs';
import {
  type LabApi,
  type RunEvent,
  concurrentRunsSchema,
  datasetDirSchema,
  localeSchema,
  dropoutMasksRequestSchema,
  runIdSchema,
  saveFileRequestSchema,
  startRunRequestSchema,
  trialQueueSchema,
} from './api';

/**
 * The LabApi's call table, written once: each call's name and the schema of its arguments. Everything
 * that carries a call is built from it: the preload's window.lab and the renderer's WebSocket client
 * (through `labApiOver`), Electron's ipc handlers (one channel per call, ipc-channels.ts) and the web
 * host's socket dispatcher (both validate through services/lab-rpc.ts).
 */

/** Every LabApi member but the subscription: the calls that go request -> reply. */
export type LabCallName = Exclude<keyof LabApi, 'onRunEvent'>;

const calls = {
  info: z.tuple([]),
  startRun: z.tuple([startRunRequestSchema]),
  cancelRun: z.tuple([runIdSchema]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runIdSchema]),
  getRunNets: z.tuple([runIdSchema]),
  getRunInside: z.tuple([runIdSchema]),
  evaluateOnTest: z.tuple([runIdSchema, z.int().min(1).max(1_000_000)]),
  deleteRun: z.tuple([runIdSchema]),
  deleteRuns: z.tuple([z.array(runIdSchema).min(1).max(100_000)]),
  updateRunMeta: z.tuple([runIdSchema, runMetaSchema]),
  // JSON turns an absent path into null; both mean "no path typed".
  chooseDatasetDir: z.tuple([datasetDirSchema.nullish().transform((v) => v ?? undefined)]),
  resetDatasetDir: z.tuple([]),
  setMaxConcurrentRuns: z.tuple([concurrentRunsSchema]),
  setLocale: z.tuple([localeSchema]),
  setTrialQueue: z.tuple([trialQueueSchema]),
  saveFile: z.tuple([saveFileRequestSchema]),
  dropoutMasks: z.tuple([dropoutMasksRequestSchema]),
} satisfies Record<LabCallName, z.ZodType<unknown[]>>;

/** A call's schema must accept every argument list the LabApi's signature allows. */
type ArgsSchemaOf<K extends LabCallName, S> =
  Parameters<LabApi[K]> extends z.input<S> ? S : `the argument schema of ${K} rejects LabApi.${K}'s parameters`;

export const LAB_CALLS: { readonly [K in LabCallName]: ArgsSchemaOf<K, (typeof calls)[K]> } = calls;

/** The arguments of a call as its handler receives them, after validation. */
export type LabCallArgs<K extends LabCallName> = z.output<(typeof calls)[K]>;
/** What a call resolves to. */
export type LabCallResult<K extends LabCallName> = Awaited<ReturnType<LabApi[K]>>;

export const LAB_CALL_NAMES = Object.keys(LAB_CALLS) as LabCallName[];

export function isLabCall(name: string): name is LabCallName {
  return Object.hasOwn(LAB_CALLS, name);
}

/** How a LabApi reaches its host: one generic call and the run-event subscription. */
export interface LabTransport {
  call(name: LabCallName, args: unknown[]): Promise<unknown>;
  /** Returns the function that unsubscribes. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
}

/** The LabApi as named functions, one per call of the table, over a transport. */
export function labApiOver(transport: LabTransport): LabApi {
  const api: Record<string, unknown> = {};
  for (const name of LAB_CALL_NAMES) api[name] = (...args: unknown[]) => transport.call(name, args);
  api.onRunEvent = (listener: (event: RunEvent) => void) => transport.onRunEvent(listener);
  return api as unknown as LabApi;
}
