import type { Redis } from 'ioredis';
import { decodeEvent, type StreamEvent } from './stream-event';
import { compareStreamIds } from './stream-id';

type RawEntries = [string, string[]][];

/** Reads the event stream: ranges for replay, and a blocking tail for live delivery. */
export class EventStreamReader {
  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
  ) {}

  /** Events strictly after `afterId`, oldest first, at most `count`. */
  async readAfter(afterId: string, count: number): Promise<StreamEvent[]> {
    const entries = (await this.redis.xrange(this.streamKey, `(${afterId}`, '+', 'COUNT', count)) as RawEntries;
    return entries.map(([id, fields]) => decodeEvent(id, fields));
  }

  /**
   * Whether an event after `afterId` was ever removed from the stream (trimmed by MAXLEN): a
   * replay from there would miss it, so its client must refetch. Asked after each range read, a
   * "no" proves that read complete (trimming removes the oldest entries first).
   */
  async lostAfter(afterId: string): Promise<boolean> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.streamKey)) as unknown[];
    } catch (error) {
      if (String(error).includes('no such key')) return false;
      throw error;
    }
    const field = (name: string) => {
      for (let i = 0; i + 1 < info.length; i += 2) if (info[i] === name) return info[i + 1];
      return undefined;
    };
    const length = Number(field('length'));
    const added = field('entries-added');
    // Redis 7 counts every entry ever added: when none was removed, nothing can be missing.
    if (added !== undefined && Number(added) === length) return false;
    // XDEL records the largest id it removed (trimming does not, in Redis 7.0).
    const maxDeleted = field('max-deleted-entry-id');
    if (typeof maxDeleted === 'string' && compareStreamIds(afterId, maxDeleted) < 0) return true;
    // Trimming removes the oldest entries: an id before the first one kept may have lost events
    // (the one right before it too, which is the price of not knowing the last one removed).
    const first = field('first-entry') as [string, string[]] | null | undefined;
    const firstKept = length === 0 ? String(field('last-generated-id')) : (first?.[0] ?? '0-0');
    return compareStreamIds(afterId, firstKept) < 0;
  }

  /** The newest id, or '0-0' when the stream is empty. */
  async lastId(): Promise<string> {
    const entries = (await this.redis.xrevrange(this.streamKey, '+', '-', 'COUNT', 1)) as RawEntries;
    return entries[0]?.[0] ?? '0-0';
  }

  /**
   * Blocks until events after `afterId` exist (or `blockMs` passes) and returns them.
   * Needs a dedicated connection: XREAD BLOCK holds it.
   */
  async waitAfter(afterId: string, count: number, blockMs: number): Promise<StreamEvent[]> {
    const reply = (await this.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.streamKey, afterId)) as
      | [string, RawEntries][]
      | null;
    if (!reply) return [];
    return (reply[0]?.[1] ?? []).map(([id, fields]) => decodeEvent(id, fields));
  }
}
