import type { Logger } from '@switchboard/config';
import type { PartitionLeases } from './partition-lease';
import { partitionsOwnedBy } from '@switchboard/queue';
import type { WorkerRegistry } from './worker-registry';

/** What the owner of a partition does when it gains, hands over or loses it. */
export interface PartitionLifecycle {
  /** The lease is ours (with this fencing token): start taking jobs and restore sessions. */
  start(partition: number, token: string): Promise<void>;
  /** Graceful hand-off: stop taking jobs, let active ones finish, persist sessions. */
  drain(partition: number): Promise<void>;
  /** The lease is lost: stop that partition's sessions at once, write nothing more. */
  fence(partition: number): void;
}

interface Held {
  token: string;
  /** When the last successful renewal was sent: the lease is ours until this + TTL. */
  renewedAt: number;
  state: 'starting' | 'running' | 'releasing';
}

export interface OwnershipOptions {
  workerId: string;
  partitions: number;
  leaseTtlMs: number;
  leases: PartitionLeases;
  registry: WorkerRegistry;
  lifecycle: PartitionLifecycle;
  logger: Logger;
}

/**
 * The control loop of sticky ownership: heartbeat, renew what we hold, compute the rendezvous
 * assignment over live workers, hand over what is no longer ours and take what is ours and free.
 */
export class OwnershipManager {
  private readonly held = new Map<number, Held>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private readonly tickMs: number;
  /** A lease is trusted locally only until this long before it expires in Redis. */
  private readonly safetyMs: number;

  constructor(private readonly options: OwnershipOptions) {
    this.tickMs = Math.max(100, Math.floor(options.leaseTtlMs / 4));
    this.safetyMs = Math.max(200, Math.floor(options.leaseTtlMs / 5));
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.ticking = this.tick()
        .catch((error) => this.options.logger.error({ err: error }, 'ownership tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.tickMs);
        });
    };
    loop();
  }

  /** The fencing token of a partition while our lease on it is still certainly valid. */
  validToken(partition: number, now = Date.now()): string | null {
    const held = this.held.get(partition);
    if (!held) return null;
    // A partition still starting is trusted no longer than any other: its lease can expire too.
    return now < held.renewedAt + this.options.leaseTtlMs - this.safetyMs ? held.token : null;
  }

  async tick(): Promise<void> {
    const { registry, leases, workerId, partitions, logger } = this.options;
    const now = Date.now();
    await this.renewAndFence();
    const live = await registry.beatAndListLive(now);
    if (this.stopped) return;
    const desired = new Set(partitionsOwnedBy(workerId, live.includes(workerId) ? live : [...live, workerId], partitions));
    for (const [partition, held] of this.held) {
      if (!desired.has(partition) && held.state === 'running') void this.release(partition);
    }
    const toAcquire = [...desired].filter((p) => !this.held.has(p));
    const acquired: number[] = [];
    let renewedAt = Date.now();
    for (const partition of toAcquire) {
      // Taking many partitions (restores are listed for each) must not starve the renewals.
      if (Date.now() - renewedAt > this.tickMs) {
        await this.renewAll();
        renewedAt = Date.now();
      }
      const startedAt = Date.now();
      const token = await leases.acquire(partition);
      if (!token || this.stopped) {
        if (token) await leases.release(partition, token);
        continue;
      }
      this.held.set(partition, { token, renewedAt: startedAt, state: 'starting' });
      // A long start (restores listed, a slow database) must not let this or other leases lapse.
      const renewing = setInterval(() => void this.renewAndFence(), this.tickMs);
      try {
        await this.options.lifecycle.start(partition, token);
        const held = this.held.get(partition);
        if (held?.token === token) held.state = 'running';
        acquired.push(partition);
      } catch (error) {
        logger.error({ err: error, partition }, 'partition start failed; releasing it');
        await this.release(partition);
      } finally {
        clearInterval(renewing);
      }
    }
    if (acquired.length > 0) logger.info({ partitions: acquired, owned: this.held.size }, 'partitions acquired');
  }

  /** Renews what we hold, then fences every lease we could not renew in time. */
  private async renewAndFence(): Promise<void> {
    await this.renewAll();
    for (const [partition, held] of this.held) {
      if (Date.now() >= held.renewedAt + this.options.leaseTtlMs - this.safetyMs) this.lose(partition, 'lease expired before renewal');
    }
  }

  private async renewAll(): Promise<void> {
    await Promise.all(
      [...this.held].map(async ([partition, held]) => {
        const sentAt = Date.now();
        try {
          if (await this.options.leases.renew(partition, held.token)) held.renewedAt = sentAt;
          else this.lose(partition, 'lease taken by another worker');
        } catch (error) {
          // Redis unreachable: keep the lease until it would expire, then fence (checked by tick).
          this.options.logger.warn({ err: error, partition }, 'lease renewal failed');
        }
      }),
    );
  }

  private lose(partition: number, why: string): void {
    const held = this.held.get(partition);
    if (!held) return;
    this.held.delete(partition);
    this.options.logger.warn({ partition, token: held.token, why }, 'partition lease lost: fencing its sessions');
    this.options.lifecycle.fence(partition);
    void this.options.registry.markStopped(partition).catch(() => undefined);
  }

  private async release(partition: number): Promise<void> {
    const held = this.held.get(partition);
    if (!held || held.state === 'releasing') return;
    held.state = 'releasing';
    try {
      await this.options.lifecycle.drain(partition);
    } catch (error) {
      this.options.logger.error({ err: error, partition }, 'partition drain failed');
    }
    // Still ours? (It may have been fenced while draining.)
    if (this.held.get(partition) !== held) return;
    await this.options.registry.markStopped(partition).catch(() => undefined);
    this.held.delete(partition);
    await this.options.leases.release(partition, held.token).catch(() => undefined);
    this.options.logger.info({ partition }, 'partition handed over');
  }

  /** Graceful stop: hand every partition over, then leave the registry. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    // Keep renewing while active jobs finish, so no other worker takes a partition mid-drain;
    // one that still lapses (Redis unreachable) is fenced as at any other time.
    const renewing = setInterval(() => void this.renewAndFence(), this.tickMs);
    try {
      await Promise.all([...this.held.keys()].map((p) => this.release(p)));
    } finally {
      clearInterval(renewing);
    }
    await this.options.registry.leave();
  }
}
