import type { Redis } from 'ioredis';
import type { ClusterView } from '@switchboard/contracts';
import type { AccountRepository } from '@switchboard/db';
import type { RedisKeys } from '@switchboard/queue';
import type { RedisGuard } from './redis-guard';

export interface ClusterServiceDeps {
  redis: Redis;
  guard: RedisGuard;
  keys: RedisKeys;
  accounts: AccountRepository;
  partitions: number;
  leaseTtlMs: number;
}

/**
 * The cluster as the workers left it in Redis: heartbeats (the workers ZSET) and partition
 * leases (`<workerId>|<token>`), with each worker's session count from the accounts' statuses.
 */
export class ClusterService {
  constructor(private readonly deps: ClusterServiceDeps) {}

  async view(now = Date.now()): Promise<ClusterView> {
    const { redis, guard, keys, accounts, partitions, leaseTtlMs } = this.deps;
    const partitionIds = Array.from({ length: partitions }, (_, p) => p);
    const [beats, holders, sessionsByPartition] = await Promise.all([
      guard.run('reading heartbeats', () => redis.zrange(keys.workers, 0, -1, 'WITHSCORES')),
      guard.run('reading leases', () => redis.mget(...partitionIds.map((p) => keys.lease(p)))),
      accounts.countSessionsByPartition(),
    ]);
    const heldBy = new Map<string, number[]>();
    const unownedPartitions: number[] = [];
    holders.forEach((holder, partition) => {
      const workerId = holder ? holder.slice(0, holder.lastIndexOf('|')) : null;
      if (!workerId) unownedPartitions.push(partition);
      else heldBy.set(workerId, [...(heldBy.get(workerId) ?? []), partition]);
    });
    const lastBeat = new Map<string, number>();
    for (let i = 0; i + 1 < beats.length; i += 2) lastBeat.set(beats[i] as string, Number(beats[i + 1]));
    const workerIds = [...new Set([...lastBeat.keys(), ...heldBy.keys()])].sort();
    return {
      partitions,
      unownedPartitions,
      workers: workerIds.map((id) => {
        const beat = lastBeat.get(id);
        const held = heldBy.get(id) ?? [];
        return {
          id,
          lastHeartbeatAt: new Date(beat ?? 0).toISOString(),
          live: beat !== undefined && now - beat < leaseTtlMs,
          partitions: held,
          sessions: held.reduce((sum, p) => sum + (sessionsByPartition.get(p) ?? 0), 0),
        };
      }),
    };
  }
}
