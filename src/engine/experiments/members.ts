import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../shared/backends';
import { loadDataset } from '../data/mnist';
import { finishProfile, startProfile } from '../profile';
import type { ExperimentContext } from './context';
import { type GroupQueue, trainEpochNets } from './epoch-nets';
import { trainSharedBatchNets } from './shared-batch-nets';
import type { MemberJob, MemberValue } from './types';

export type { MemberJob, MemberValue } from './types';

/*
 * Experiments made of independent members (nets that share batches, search trials) run them here:
 * in this thread, or split across worker threads to use every core. Each member's result depends only
 * on the seed and its index, so any split gives the same series.
 */

export interface ShardInput {
  job: MemberJob;
  dataDir: string;
  backend: BackendName;
  /** The members this shard trains, or (epoch jobs) groups of them it asks the parent for, one at a time. */
  members: number[] | AskedGroups;
}

/** A thread that asks for its groups; `severalGroups`: some thread will get more than one. */
export interface AskedGroups {
  asked: true;
  severalGroups: boolean;
}

/**
 * A thread's messages: values, member-batches done since the last message (epoch jobs), a request for its
 * next group of members, its end.
 */
export type ShardMessage =
  | { type: 'values'; values: MemberValue[] }
  | { type: 'batches'; count: number }
  | { type: 'next-group' }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** The parent's answer to 'next-group': the members of the group, none when every group is taken. */
export interface GroupMessage {
  type: 'group';
  members: number[] | null;
}

/** What a shard reports: every value, and (epoch jobs) how many member-batches it has trained. */
export interface ShardCallbacks {
  onValue: (value: MemberValue) => void;
  onBatches?: (count: number) => void;
}

/** A shard's members: a fixed list, or (AskedGroups) the groups `askedGroups` hands out. */
export async function runShard(
  input: Omit<ShardInput, 'backend'>,
  { onValue, onBatches }: ShardCallbacks,
  shouldStop: () => boolean,
  askedGroups?: GroupQueue,
): Promise<void> {
  const dataset = loadDataset(input.dataDir);
  const trained: number[] = [];
  startProfile();
  try {
    const { job } = input;
    if (!Array.isArray(input.members)) {
      if (job.kind !== 'epoch-nets' || !askedGroups) throw new Error('only epoch jobs take their members in groups');
      const recording: GroupQueue = {
        severalGroups: input.members.severalGroups,
        nextGroup: async () => {
          const group = await askedGroups.nextGroup();
          if (group) trained.push(...group);
          return group;
        },
      };
      return await trainEpochNets(job.job, dataset, recording, onValue, shouldStop, onBatches);
    }
    trained.push(...input.members);
    switch (job.kind) {
      case 'shared-batch-nets':
        return await trainSharedBatchNets(job.job, dataset, input.members, onValue, shouldStop);
      case 'epoch-nets':
        return await trainEpochNets(job.job, dataset, input.members, onValue, shouldStop, onBatches);
    }
  } finally {
    finishProfile(trained);
  }
}

export async function runMembers(
  context: ExperimentContext,
  job: MemberJob,
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
  if (job.kind === 'epoch-nets') {
    // Groups go to whichever thread is free: nets that diverge end early, so counts alone do not balance.
    const groups = groupsInTurn(split, job.job.groupSize);
    const members: AskedGroups = { asked: true, severalGroups: groups.length > split.length };
    const next = (): number[] | null => groups.shift() ?? null;
    await Promise.all(split.map(() => runInThread({ ...base, members }, callbacks, context.signal, next)));
    return;
  }
  await Promise.all(split.map((share) => runInThread({ ...base, members: share }, callbacks, context.signal)));
}

/**
 * The groups a static split would train (each thread's share in groups of `groupSize`), in the order of
 * their first member, so that the groups are the same whichever thread takes them.
 */
export function groupsInTurn(split: number[][], groupSize: number | undefined): number[][] {
  const groups = split.flatMap((share) => {
    const size = Math.max(1, groupSize ?? share.length);
    return Array.from({ length: Math.ceil(share.length / size) }, (_, g) => share.slice(g * size, (g + 1) * size));
  });
  return groups.sort((a, b) => a[0]! - b[0]!);
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
function runInThread(
  input: ShardInput,
  callbacks: ShardCallbacks,
  signal: AbortSignal,
  nextGroup: () => number[] | null = () => null,
): Promise<void> {
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
      else if (message.type === 'next-group')
        worker.postMessage({ type: 'group', members: nextGroup() } satisfies GroupMessage);
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
