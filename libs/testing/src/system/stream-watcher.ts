import { Redis } from 'ioredis';
import { decodeEvent, type StreamEvent } from '@switchboard/events';

interface Waiter {
  predicate: (events: StreamEvent[]) => boolean;
  resolve: () => void;
}

/**
 * Tails the event stream with a blocking XREAD on its own connection and lets a test wait for
 * what it expects: each new event re-checks the waiters, so waiting is driven by events.
 */
export class StreamWatcher {
  readonly events: StreamEvent[] = [];
  private readonly redis: Redis;
  private readonly waiters: Waiter[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(redisUrl: string, private readonly streamKey: string, fromId = '0-0') {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.loop = this.run(fromId);
  }

  private async run(fromId: string): Promise<void> {
    let last = fromId;
    while (this.running) {
      try {
        const reply = (await this.redis.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', this.streamKey, last)) as
          | [string, [string, string[]][]][]
          | null;
        if (!reply) continue;
        for (const [id, fields] of reply[0]?.[1] ?? []) {
          this.events.push(decodeEvent(id, fields));
          last = id;
        }
        for (const waiter of [...this.waiters]) {
          if (waiter.predicate(this.events)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      } catch {
        if (!this.running) return;
      }
    }
  }

  /** Waits until the events seen so far satisfy `predicate`. */
  until(predicate: (events: StreamEvent[]) => boolean, description: string, timeoutMs = 20_000): Promise<void> {
    if (predicate(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.findIndex((w) => w.resolve === done), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ predicate, resolve: done });
    });
  }

  of(accountId: string, kind?: string): StreamEvent[] {
    return this.events.filter((e) => e.accountId === accountId && (kind === undefined || e.kind === kind));
  }

  statusesOf(accountId: string): string[] {
    return this.of(accountId, 'account.status').map((e) => (e.data as { status: string }).status);
  }

  async close(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }
}
