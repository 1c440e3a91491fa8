import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../shared/backends';
import { loadDataset } from '../data/mnist';
import { finishProfile, startProfile } from '../profile';
import type { ExperimentContext } from './context';
import { trainEpochNets } from './epoch-nets';
import type { FinishedNet } from '../trained-nets';
import type { InsideMoment } from '../../shared/inside';
import type { EpochJob, MemberValue, ShardCallbacks } from './types';

export type { MemberValue, ShardCallbacks } from './types';

/*
 * Experiments made of independent members (nets that share batches, search trials) run them here:
 * in this thread, or split across worker threads to use every core. Each member's result depends only
 * on the seed and its index, so any split gives the same series.
 */

export interface ShardInput {
  job: EpochJob;
  dataDir: string;
  backend: BackendName;
  members: number[];
}

/** A thread's messages: values, member-batches done since the last message, its end. */
export type ShardMessage =
  | { type: 'values'; values: MemberValue[] }
  | { type: 'net'; member: number; net: FinishedNet }
  | { type: 'inside'; member: number; moments: InsideMoment[] }
  | { type: 'batches'; count: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

export async function runShard(
  input: Omit<ShardInput, 'backend'>,
  { onValue, onBatches, onNet, onInside }: ShardCallbacks,
  shouldStop: () => boolean,
): Promise<void> {
  const dataset = loadDataset(input.dataDir);
  startProfile();
  try {
    return await trainEpochNets(input.job, dataset, input.members, onValue, shouldStop, onBatches, onNet, onInside);
  } finally {
    finishProfile(input.members);
  }
}

export async function runMembers(
  context: ExperimentContext,
  job: EpochJob,
  memberCount: number,
  callbacks: ShardCallbacks,
): Promise<void> {
  const shards = shardCount(memberCount, context.threads);
  const members = [...Array(memberCount).keys()];
  if (shards === 1) {
    await runShard({ job, dataDir: context.dataDir, members }, callbacks, () => context.signal.aborted);
    return;
  }
  const split = Array.from({ length: shards }, (_, s) => members.filter((m) => m % shards === s));
  const base = { job, dataDir: context.dataDir, backend: context.backend };
  await Promise.all(split.map((share) => runInThread({ ...base, members: share }, callbacks, context.signal)));
}

/**
 * How many threads for `members` on `cores`: one per core when the members split evenly or are many;
 * otherwise one per member (3 nets on 2 cores: three threads share the cores evenly, where two
 * threads would leave one core idle for a third of the run).
 */
export function shardCount(members: number, cores: number): number {
  if (cores <= 1 || members <= 1) return 1;
  if (members % cores === 0 || members > 2 * cores) return Math.min(cores, members);
  return members;
}

/**
 * Trains a share of members in a worker thread (shard-thread.ts). From source (tsx, vitest) the thread
 * boots through a small .mjs that loads the TypeScript entry; in a bundle (electron-vite) the entry is
 * the sibling shard-thread.js.
 */
function runInThread(input: ShardInput, callbacks: ShardCallbacks, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const here = import.meta.url;
    const worker = here.endsWith('.ts')
      ? new Worker(new URL('./ts-thread-boot.mjs', here), {
          workerData: { entry: new URL('./shard-thread.ts', here).href, input },
        })
      : new Worker(new URL('./shard-thread.js', here), { workerData: { input } });
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
      if (message.type === 'values') message.values.forEach(callbacks.onValue);
      else if (message.type === 'batches') callbacks.onBatches?.(message.count);
      else if (message.type === 'net') callbacks.onNet?.(message.member, message.net);
      else if (message.type === 'inside') callbacks.onInside?.(message.member, message.moments);
      else if (message.type === 'done') finish();
      else finish(new Error(message.message));
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(`training thread exited with code ${code}`)));
  });
}

/** The step every member has reached: what the progress bar shows for members trained side by side. */
export class MemberProgress {
  private readonly reached: number[];
  constructor(members: number) {
    this.reached = new Array<number>(members).fill(0);
  }
  /** Records that `member` finished `step` (0-based) and returns how many steps all members have done. */
  done(member: number, step: number): number {
    this.reached[member] = Math.max(this.reached[member]!, step + 1);
    return Math.min(...this.reached);
  }
}
