import type { Redis } from 'ioredis';
import type { RedisFence } from '@switchboard/events';
import type { RedisKeys } from '@switchboard/queue';

// Take the lease only when free; the fencing token is a per-partition counter that only grows.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token`;
// Renew or release only if we still hold it: a lease that moved is never extended or deleted.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type LeaseRedis = Redis & {
  leaseAcquire(lease: string, counter: string, holder: string, ttl: number): Promise<number | null>;
  leaseRenew(lease: string, value: string, ttl: number): Promise<number>;
  leaseRelease(lease: string, value: string): Promise<number>;
};

/** Partition leases: `SET NX PX` with a fencing token, renewed and released atomically. */
export class PartitionLeases {
  private readonly redis: LeaseRedis;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly workerId: string,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('leaseAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('leaseRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('leaseRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as LeaseRedis;
  }

  private value(token: string): string {
    return `${this.workerId}|${token}`;
  }

  /** The Redis fence of writes made under this lease: applied only while we still hold it. */
  fenceOf(partition: number, token: string): RedisFence {
    return { key: this.keys.lease(partition), holder: this.value(token) };
  }

  /** The fencing token, or null when another worker holds the lease. */
  async acquire(partition: number): Promise<string | null> {
    const token = await this.redis.leaseAcquire(this.keys.lease(partition), this.keys.leaseToken(partition), this.workerId, this.ttlMs);
    return token === null ? null : String(token);
  }

  async renew(partition: number, token: string): Promise<boolean> {
    return (await this.redis.leaseRenew(this.keys.lease(partition), this.value(token), this.ttlMs)) === 1;
  }

  async release(partition: number, token: string): Promise<boolean> {
    return (await this.redis.leaseRelease(this.keys.lease(partition), this.value(token))) === 1;
  }
}
