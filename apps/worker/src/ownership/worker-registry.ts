import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';

/** Heartbeats: a worker is live while its last beat is younger than the lease TTL. */
export class WorkerRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly workerId: string,
    private readonly ttlMs: number,
  ) {}

  async beatAndListLive(now = Date.now()): Promise<string[]> {
    const result = await this.redis
      .multi()
      .zadd(this.keys.workers, now, this.workerId)
      .zremrangebyscore(this.keys.workers, '-inf', now - 10 * this.ttlMs)
      .zrangebyscore(this.keys.workers, now - this.ttlMs, '+inf')
      .exec();
    const live = result?.[2]?.[1] as string[] | undefined;
    return live ?? [this.workerId];
  }

  async leave(): Promise<void> {
    await this.redis.multi().zrem(this.keys.workers, this.workerId).del(this.keys.workerPartitions(this.workerId)).exec();
  }

  async markRunning(partition: number): Promise<void> {
    await this.redis.sadd(this.keys.workerPartitions(this.workerId), partition);
  }

  async markStopped(partition: number): Promise<void> {
    await this.redis.srem(this.keys.workerPartitions(this.workerId), partition);
  }
}
