import { z } from 'zod';
import type { SaveFileRequest } from '../shared/api';
import { ParamError } from '../shared/experiments';
import { LAB_CALLS, type LabCallArgs, type LabCallName, type LabCallResult, isLabCall } from '../shared/lab-calls';
import type { LabService } from './lab-service';

/**
 * The host side of the LabApi's call table (src/shared/lab-calls.ts): what each call does with the
 * service. Electron's ipc handlers and the web host's WebSocket both dispatch through here, so both
 * validate alike.
 */

/** The host-specific calls: a folder picker and a save dialog exist only in Electron. */
export interface HostDialogs {
  chooseDatasetDir(typedPath: string | undefined): Promise<string | undefined>;
  saveFile(request: SaveFileRequest): Promise<{ saved: boolean; path?: string }>;
}

/** An error the renderer may show as it is: bad arguments or a bad parameter. */
export class LabCallError extends Error {}

type Handler<K extends LabCallName> = (
  service: LabService,
  dialogs: HostDialogs,
  ...args: LabCallArgs<K>
) => LabCallResult<K> | Promise<LabCallResult<K>>;

const HANDLERS: { [K in LabCallName]: Handler<K> } = {
  info: (service) => service.info(),
  startRun: (service, _dialogs, request) => service.startRun(request),
  cancelRun: (service, _dialogs, runId) => service.cancelRun(runId),
  listRuns: (service) => service.listRuns(),
  getRun: (service, _dialogs, runId) => service.getRun(runId),
  getRunNets: (service, _dialogs, runId) => service.getRunNets(runId),
  getRunInside: (service, _dialogs, runId) => service.getRunInside(runId),
  evaluateOnTest: (service, _dialogs, runId, trial) => service.evaluateOnTest(runId, trial),
  deleteRun: (service, _dialogs, runId) => service.deleteRun(runId),
  deleteRuns: (service, _dialogs, runIds) => service.deleteRuns(runIds),
  updateRunMeta: (service, _dialogs, runId, meta) => service.updateRunMeta(runId, meta),
  chooseDatasetDir: async (service, dialogs, typedPath) => {
    const dir = await dialogs.chooseDatasetDir(typedPath);
    return dir === undefined ? null : service.setDataDir(dir);
  },
  resetDatasetDir: (service) => service.setDataDir(undefined),
  setMaxConcurrentRuns: (service, _dialogs, count) => service.setMaxConcurrentRuns(count),
  setTrialQueue: (service, _dialogs, url) => service.setTrialQueue(url),
  setLocale: (service, _dialogs, locale) => service.setLocale(locale),
  saveFile: (_service, dialogs, request) => dialogs.saveFile(request),
  dropoutMasks: (service, _dialogs, request) => service.dropoutMasks(request),
};

/** Runs one call from a renderer: an unknown name or arguments that fail the table's schema run nothing. */
export async function dispatchLabCall(
  service: LabService,
  dialogs: HostDialogs,
  name: string,
  rawArgs: unknown,
): Promise<unknown> {
  if (!isLabCall(name)) throw new LabCallError(`unknown call "${name}"`);
  const parsed = (LAB_CALLS[name] as z.ZodType<unknown[]>).safeParse(rawArgs);
  if (!parsed.success) throw new LabCallError(`bad arguments for ${name}: ${z.prettifyError(parsed.error)}`);
  const handler = HANDLERS[name] as (service: LabService, dialogs: HostDialogs, ...args: unknown[]) => unknown;
  try {
    return await handler(service, dialogs, ...parsed.data);
  } catch (error) {
    if (error instanceof ParamError) throw new LabCallError(error.message);
    throw error;
  }
}
