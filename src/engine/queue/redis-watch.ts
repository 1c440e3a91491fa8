import { Redis } from 'ioredis';

/** How often the watch pings. */
const PING_EVERY_MS = 1000;

/**
 * Pings a Redis every second on a connection of its own, whose commands fail at once while it is
 * away (BullMQ's own wait for it to come back, for ever): says since when it has not answered, and why.
 */
export class RedisWatch {
  private readonly client: Redis;
  private readonly timer: NodeJS.Timeout;
  private downSince: number | null = null;
  private why = '';

  constructor(url: string) {
    this.client = new Redis(url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (error: Error) => (this.why = error.message));
    this.timer = setInterval(() => void this.check(), PING_EVERY_MS);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    try {
      await this.client.ping();
      this.downSince = null;
    } catch (error) {
      this.downSince ??= Date.now();
      this.why ||= (error as Error).message;
    }
  }

  /** How long Redis has not answered (0: it answers), and the last reason given. */
  outage(): { ms: number; why: string } {
    return { ms: this.downSince === null ? 0 : Date.now() - this.downSince, why: this.why };
  }

  close(): void {
    clearInterval(this.timer);
    this.client.disconnect();
  }
}
