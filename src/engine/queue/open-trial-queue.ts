import type { TrialQueue } from '../search/trial-queue';

export interface OpenTrialQueue extends TrialQueue {
  close(): Promise<void>;
}

/**
 * The Redis queue at `url` that a search's trials go to (`--queue`, the app's setting); throws a plain
 * message when Redis cannot be reached. BullMQ is loaded only by searches that use a queue.
 */
export async function openTrialQueue(url: string): Promise<OpenTrialQueue> {
  const { RedisTrialQueue } = await import('./redis-trial-queue');
  return RedisTrialQueue.open(url);
}
