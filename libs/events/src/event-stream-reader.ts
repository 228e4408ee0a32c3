import type { Redis } from 'ioredis';
import { decodeEvent, type StreamEvent } from './stream-event';

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
   * Replays from an id older than this may have lost events to trimming (MAXLEN): such a client
   * must refetch. '0-0' when nothing was ever trimmed or the stream does not exist yet.
   */
  async trimmedBefore(): Promise<string> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.streamKey)) as unknown[];
    } catch (error) {
      if (String(error).includes('no such key')) return '0-0';
      throw error;
    }
    const field = (name: string) => {
      for (let i = 0; i + 1 < info.length; i += 2) if (info[i] === name) return info[i + 1];
      return undefined;
    };
    const length = Number(field('length'));
    const added = field('entries-added');
    // Redis 7 counts every entry ever added: when none was removed, nothing can be missing.
    if (added !== undefined && Number(added) === length) return '0-0';
    if (length === 0) return String(field('last-generated-id'));
    const first = field('first-entry') as [string, string[]] | null | undefined;
    return first?.[0] ?? '0-0';
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
