import { Redis, type RedisOptions } from 'ioredis';

/**
 * - `blocking`: BullMQ Workers and blocking stream readers. Never gives up (maxRetriesPerRequest: null).
 * - `command`: ordinary commands of long-lived processes; retries through short outages.
 * - `producer`: the API's path; fails fast so a request answers 503 instead of hanging.
 */
export type RedisRole = 'blocking' | 'command' | 'producer';

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  blocking: { maxRetriesPerRequest: null, enableReadyCheck: true },
  command: { maxRetriesPerRequest: 20 },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2_000, commandTimeout: 5_000 },
};

export function createRedis(url: string, role: RedisRole, connectionName: string): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[role],
    connectionName,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    lazyConnect: false,
    // A socket that already failed is destroyed at once on disconnect, not after 2 s.
    disconnectTimeout: 200,
  });
  // Without a listener ioredis prints every reconnect error; the owner logs state changes itself.
  redis.on('error', () => undefined);
  return redis;
}
