import type { Redis } from 'ioredis';
import type { DomainEvent, EventKind, EventMap } from '@switchboard/contracts';
import type { RedisFence } from './redis-fence';
import { encodeEvent } from './stream-event';

// XADD only while the lease holds the writer: a stale owner's late event is never published.
const FENCED_XADD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))`;

export interface EventPublisherOptions {
  redis: Redis;
  streamKey: string;
  /** The stream is capped near this length (XADD MAXLEN ~): replay reaches this far back. */
  maxLength: number;
}

/**
 * Appends domain events to the one Redis stream. Callers publish only after the database
 * write the event reports, so replay and REST agree. A batch is one pipelined round trip.
 */
export class EventPublisher {
  constructor(private readonly options: EventPublisherOptions) {}

  async publish(events: readonly DomainEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const pipeline = this.options.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(this.options.streamKey, 'MAXLEN', '~', String(this.options.maxLength), '*', ...encodeEvent(event));
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, id]) => {
      if (error) throw error;
      return id as string;
    });
  }

  publishOne<K extends EventKind>(kind: K, tenantId: string, accountId: string, data: EventMap[K]): Promise<string[]> {
    return this.publish([{ kind, tenantId, accountId, at: new Date().toISOString(), data } as DomainEvent]);
  }

  /**
   * Publishes an event that no database write stands behind (a QR code, a login step) only while
   * `fence` holds; returns the stream id, or null when it was refused.
   */
  async publishFenced<K extends EventKind>(fence: RedisFence, kind: K, tenantId: string, accountId: string, data: EventMap[K]): Promise<string | null> {
    const event = { kind, tenantId, accountId, at: new Date().toISOString(), data } as DomainEvent;
    const id = await this.options.redis.eval(FENCED_XADD, 2, fence.key, this.options.streamKey, fence.holder, String(this.options.maxLength), ...encodeEvent(event));
    return (id as string | null) ?? null;
  }
}
