import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';
import type { SandboxEvent } from './sandbox-events';

/**
 * How many events the network keeps per account (approximately: MAXLEN ~). A client that was
 * away for longer than that many events misses the oldest, as real networks drop what waited
 * too long.
 */
export const SANDBOX_HISTORY_CAP = 100_000;

// One round trip per event: into the account's history (what a restore catches up on), and into
// the partition stream with its history id (the live delivery to the connected client).
const APPEND = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('XADD', KEYS[2], '*', 'm', ARGV[1], 'h', id)
return id`;

type HistoryRedis = Redis & { sandboxAppend(history: string, inbound: string, event: string, cap: number): Promise<string> };

export function defineSandboxAppend(redis: Redis): HistoryRedis {
  if (!(redis as unknown as Partial<HistoryRedis>).sandboxAppend) redis.defineCommand('sandboxAppend', { numberOfKeys: 2, lua: APPEND });
  return redis as HistoryRedis;
}

/** An account's history, read by its client: events after a cursor, oldest first. */
export class SandboxHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Up to `count` events after `cursor` (null: from the start), each with its history id. */
  async after(accountId: string, cursor: string | null, count: number): Promise<(SandboxEvent & { historyId: string })[]> {
    const entries = await this.redis.xrange(this.keys.sandbox.history(accountId), cursor ? `(${cursor}` : '-', '+', 'COUNT', count);
    return entries.map(([historyId, fields]) => ({ ...(JSON.parse(fields[1] as string) as SandboxEvent), historyId }));
  }

  /** The id of the newest event, or `0-0` for an empty history. */
  async end(accountId: string): Promise<string> {
    const [newest] = await this.redis.xrevrange(this.keys.sandbox.history(accountId), '+', '-', 'COUNT', 1);
    return newest?.[0] ?? '0-0';
  }
}
