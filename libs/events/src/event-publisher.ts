import type { Redis } from 'ioredis';
import type { DomainEvent, EventKind, EventMap } from '@switchboard/contracts';
import { encodeEvent } from './stream-event';

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
}
