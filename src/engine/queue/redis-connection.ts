import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { queueUrlProblem } from '../../shared/queue-url';

/** How long a searcher or worker waits for Redis to answer before it says it cannot reach it. */
const CONNECT_TIMEOUT_MS = 5000;

export class QueueUrlError extends Error {}

/**
 * BullMQ's connection options for a `redis://HOST:PORT[/DB]` (or `rediss://`, with TLS) URL; throws
 * QueueUrlError for anything else. Commands wait for a lost connection to come back instead of failing
 * (maxRetriesPerRequest null, as BullMQ's workers require).
 */
export function redisConnection(url: string): ConnectionOptions {
  const problem = queueUrlProblem(url);
  if (problem) throw new QueueUrlError(problem);
  return { url, maxRetriesPerRequest: null };
}

/**
 * Resolves once the Redis at `url` answers a PING; throws a plain message when it cannot be reached
 * within CONNECT_TIMEOUT_MS (BullMQ's own clients would retry for ever, and cannot be closed meanwhile).
 */
export async function reachRedis(url: string): Promise<void> {
  redisConnection(url);
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  let why = '';
  client.on('error', (error: Error) => (why = error.message));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${url} (${why || (error as Error).message}): is redis-server running?`, {
      cause: error,
    });
  } finally {
    client.disconnect();
  }
}

/** Something with BullMQ's `error` events (Queue, QueueEvents, Worker): an unheard one would end the process. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Lost connections are retried by ioredis and reported as `error` events: the parts log them (or
 * stay quiet) instead of the process ending on an unheard one.
 */
export function onConnectionErrors(parts: ErrorEmitter[], log: (line: string) => void = () => {}): void {
  let last = '';
  for (const part of parts)
    part.on('error', (error) => {
      // ioredis retries every second or two while Redis is away: one line per reason, not per retry.
      if (error.message !== last) log(`queue connection: ${error.message}`);
      last = error.message;
    });
}
