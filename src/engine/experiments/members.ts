import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../shared/backends';
import { loadDataset } from '../data/mnist';
import { type SharedBatchJob, trainSharedBatchNets } from './shared-batch-nets';
import type { ExperimentContext } from './context';

/**
 * Experiments made of independent members (nets that share batches, search trials) run them here:
 * in this thread, or split across worker threads to use every core. Each member's result depends only
 * on the seed and its index, so any split gives the same series.
 */
export interface MemberLoss {
  member: number;
  step: number;
  value: number;
}

/** What a share of members needs to train, whichever experiment it belongs to. */
export type MemberJob = { kind: 'shared-batch-nets'; job: SharedBatchJob };

export interface ShardInput {
  job: MemberJob;
  dataDir: string;
  backend: BackendName;
  members: number[];
}

export type ShardMessage =
  | { type: 'values'; values: MemberLoss[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

export async function runShard(
  input: Omit<ShardInput, 'backend'>,
  onValue: (value: MemberLoss) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const dataset = loadDataset(input.dataDir);
  switch (input.job.kind) {
    case 'shared-batch-nets':
      return trainSharedBatchNets(input.job.job, dataset, input.members, onValue, shouldStop);
  }
}

export async function runMembers(
  context: ExperimentContext,
  job: MemberJob,
  memberCount: number,
  onValue: (value: MemberLoss) => void,
): Promise<void> {
  const shards = Math.max(1, Math.min(context.threads, memberCount));
  const lastStep = new Array<number>(memberCount).fill(-1);
  const record = (value: MemberLoss) => {
    lastStep[value.member] = value.step;
    onValue(value);
    context.reporter.advance(Math.min(...lastStep) + 1);
  };
  const members = [...Array(memberCount).keys()];
  if (shards === 1) {
    await runShard({ job, dataDir: context.dataDir, members }, record, () => context.signal.aborted);
    return;
  }
  const split = Array.from({ length: shards }, (_, s) => members.filter((m) => m % shards === s));
  await Promise.all(
    split.map((share) => runInThread({ job, dataDir: context.dataDir, backend: context.backend, members: share }, record, context.signal)),
  );
}

function runInThread(input: ShardInput, onValue: (value: MemberLoss) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startShardThread(input);
    const stop = () => worker.postMessage('stop');
    signal.addEventListener('abort', stop, { once: true });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.on('message', (message: ShardMessage) => {
      if (message.type === 'values') message.values.forEach(onValue);
      else if (message.type === 'done') finish();
      else finish(new Error(message.message));
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(`training thread exited with code ${code}`)));
  });
}

/**
 * From source (tsx, vitest) the thread boots through a small .mjs that loads the TypeScript entry;
 * in a bundle (electron-vite) the entry is the sibling shard-thread.js.
 */
function startShardThread(input: ShardInput): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL('./shard-thread.ts', here).href;
    return new Worker(new URL('./ts-thread-boot.mjs', here), { workerData: { entry, input } });
  }
  return new Worker(new URL('./shard-thread.js', here), { workerData: { input } });
}
