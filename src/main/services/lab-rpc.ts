import { z } from 'zod';
import { datasetDirSchema, runIdSchema, savePngRequestSchema, startRunRequestSchema } from '../../shared/api';
import { ParamError } from '../../shared/experiments';
import type { LabService } from './lab-service';

/**
 * The LabApi calls a host accepts from its renderer, each with the schema of its argument. Electron's
 * ipc handlers and the web host's WebSocket both dispatch through here, so both validate alike.
 */
export const LAB_CALLS = {
  info: z.tuple([]),
  startRun: z.tuple([startRunRequestSchema]),
  cancelRun: z.tuple([runIdSchema]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runIdSchema]),
  deleteRun: z.tuple([runIdSchema]),
  chooseDatasetDir: z.tuple([datasetDirSchema.nullish().transform((v) => v ?? undefined)]),
  resetDatasetDir: z.tuple([]),
  savePng: z.tuple([savePngRequestSchema]),
} as const;
export type LabCall = keyof typeof LAB_CALLS;

export function isLabCall(name: string): name is LabCall {
  return Object.hasOwn(LAB_CALLS, name);
}

/** The host-specific calls: a folder picker and a save dialog exist only in Electron. */
export interface HostDialogs {
  chooseDatasetDir(typedPath: string | undefined): Promise<string | undefined>;
  savePng(request: z.output<typeof savePngRequestSchema>): Promise<{ saved: boolean; path?: string }>;
}

/** An error the renderer may show as it is: bad arguments or a bad parameter. */
export class LabCallError extends Error {}

type Handler<K extends LabCall> = (
  service: LabService,
  dialogs: HostDialogs,
  ...args: z.output<(typeof LAB_CALLS)[K]>
) => unknown;

const HANDLERS: { [K in LabCall]: Handler<K> } = {
  info: (service) => service.info(),
  startRun: (service, _dialogs, request) => service.startRun(request),
  cancelRun: (service, _dialogs, runId) => service.cancelRun(runId),
  listRuns: (service) => service.listRuns(),
  getRun: (service, _dialogs, runId) => service.getRun(runId),
  deleteRun: (service, _dialogs, runId) => service.deleteRun(runId),
  chooseDatasetDir: async (service, dialogs, typedPath) => {
    const dir = await dialogs.chooseDatasetDir(typedPath);
    return dir === undefined ? null : service.setDataDir(dir);
  },
  resetDatasetDir: (service) => service.setDataDir(undefined),
  savePng: (_service, dialogs, request) => dialogs.savePng(request),
};

export async function dispatchLabCall(
  service: LabService,
  dialogs: HostDialogs,
  name: string,
  rawArgs: unknown,
): Promise<unknown> {
  if (!isLabCall(name)) throw new LabCallError(`unknown call "${name}"`);
  const parsed = LAB_CALLS[name].safeParse(rawArgs);
  if (!parsed.success) throw new LabCallError(`bad arguments for ${name}: ${z.prettifyError(parsed.error)}`);
  const handler = HANDLERS[name] as (service: LabService, dialogs: HostDialogs, ...args: unknown[]) => unknown;
  try {
    return await handler(service, dialogs, ...(parsed.data as unknown[]));
  } catch (error) {
    if (error instanceof ParamError) throw new LabCallError(error.message);
    throw error;
  }
}
