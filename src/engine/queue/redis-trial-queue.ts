import { Queue, QueueEvents } from 'bullmq';
import { type QueuedRound, type QueuedTrialCallbacks, RoundRecorder, type TrialQueue } from '../search/trial-queue';
import { TRIAL_QUEUE_NAME, type TrialJob, trialOutcomeSchema, trialProgressSchema } from '../search/trial-job';
import { onConnectionErrors, reachRedis, redisConnection } from './redis-connection';
import { RedisWatch } from './redis-watch';

/** How long the searcher keeps a failed trial's job on Redis, for `redis-cli` or a dashboard to show why. */
const KEEP_FAILED_SECONDS = 24 * 3600;
/** How long a search waits for a Redis that stopped answering before it fails (its jobs may be gone with it). */
const OUTAGE_LIMIT_MS = 60_000;
/** How long closing may wait for a Redis that is away (BullMQ's close waits for it). */
const CLOSE_LIMIT_MS = 2000;

/**
 * The searching side of a queue on Redis (BullMQ): each trial of a round is a job `SEARCH.TRIAL`; the
 * workers' progress and results come back as queue events. A job whose worker dies is put back by
 * BullMQ's stalled-job check and trained again by another worker; RoundRecorder records it once.
 */
export class RedisTrialQueue implements TrialQueue {
  private constructor(
    readonly where: string,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly watch: RedisWatch,
    private readonly outageLimitMs: number,
  ) {}

  /**
   * Connects to the Redis at `url` (redis://HOST:PORT[/DB]); throws a plain message when it cannot.
   * `outageLimitMs`: how long a search waits for it when it stops answering (default 60 s).
   */
  static async open(url: string, { outageLimitMs = OUTAGE_LIMIT_MS } = {}): Promise<RedisTrialQueue> {
    await reachRedis(url);
    const connection = redisConnection(url);
    const queue = new Queue(TRIAL_QUEUE_NAME, { connection });
    const events = new QueueEvents(TRIAL_QUEUE_NAME, { connection });
    onConnectionErrors([queue, events]);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new RedisTrialQueue(url, queue, events, new RedisWatch(url), outageLimitMs);
  }

  async trainRound(round: QueuedRound, callbacks: QueuedTrialCallbacks, signal: AbortSignal): Promise<void> {
    const recorder = new RoundRecorder(round.trials.length, callbacks);
    const jobIds = round.trials.map(({ trial }) => `${round.search}.${trial}`);
    const memberOf = new Map(jobIds.map((id, member) => [id, member]));
    const open = new Set(jobIds);
    let settle: (error?: Error) => void = () => {};
    const ended = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      const member = memberOf.get(jobId);
      const report = trialProgressSchema.safeParse(data);
      if (member !== undefined && open.has(jobId) && report.success) recorder.progress(member, report.data);
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      const member = memberOf.get(jobId);
      if (member === undefined || !open.has(jobId)) return;
      const outcome = trialOutcomeSchema.safeParse(returnvalue);
      if (!outcome.success) return settle(new Error(`trial job ${jobId} returned what this lab cannot read`));
      recorder.finished(member, outcome.data);
      open.delete(jobId);
      if (open.size === 0) settle();
    };
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      if (open.has(jobId))
        settle(new Error(`trial ${round.trials[memberOf.get(jobId)!]!.trial} failed: ${failedReason}`));
    };
    const onAbort = () => void this.takeBack(jobIds).then(() => settle(), settle);
    const watching = setInterval(() => {
      const { ms, why } = this.watch.outage();
      if (ms > this.outageLimitMs)
        settle(
          new Error(`the queue's Redis at ${this.where} has not answered for ${Math.round(ms / 1000)} s (${why})`),
        );
    }, 1000);
    this.events.on('progress', onProgress);
    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.queue.addBulk(
        round.trials.map(({ trial, hyperparameters }, member) => ({
          name: 'trial',
          data: {
            search: round.search,
            trial,
            params: round.params,
            hyperparameters,
            dataset: round.dataset,
            ...(round.prune ? { prune: round.prune } : {}),
          } satisfies TrialJob,
          opts: { jobId: jobIds[member]!, removeOnComplete: true, removeOnFail: { age: KEEP_FAILED_SECONDS } },
        })),
      );
      await ended;
    } finally {
      this.events.off('progress', onProgress);
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
      signal.removeEventListener('abort', onAbort);
      clearInterval(watching);
    }
  }

  /** A cancelled search's trials that no worker has started leave the queue; started ones run out. */
  private async takeBack(jobIds: string[]): Promise<void> {
    await Promise.allSettled(jobIds.map((id) => this.queue.remove(id)));
  }

  /** Closes its connections; for a Redis that is away, BullMQ's end when it is back (after CLOSE_LIMIT_MS here). */
  async close(): Promise<void> {
    this.watch.close();
    const closed = Promise.allSettled([this.events.close(), this.queue.close()]);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_LIMIT_MS).unref())]);
  }
}
