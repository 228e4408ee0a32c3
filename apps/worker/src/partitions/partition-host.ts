import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@switchboard/config';
import type { Database } from '@switchboard/db';
import type { Messengers } from '@switchboard/messengers';
import { partitionQueueName, SEND_BACKOFF_TYPE, type RedisKeys } from '@switchboard/queue';
import type { AccountController } from '../accounts/account-controller';
import type { PartitionLifecycle } from '../ownership/ownership-manager';
import type { WorkerRegistry } from '../ownership/worker-registry';
import type { RestorePacer } from '../sessions/restore-pacer';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import type { createJobDispatcher } from '../jobs/job-dispatcher';

export interface PartitionHostDeps {
  db: Database;
  /** Shared connection for BullMQ Workers (each duplicates it for its blocking reads). */
  bullConnection: Redis;
  keys: RedisKeys;
  concurrency: number;
  /** Job locks expire this long after a worker dies; the new owner then takes the jobs back. */
  lockDurationMs: number;
  dispatcherFor: (partition: number) => ReturnType<typeof createJobDispatcher>;
  /** The first retry delay of a send (SEND_BACKOFF_MS); each later retry waits twice as long. */
  sendBackoffMs: number;
  controller: AccountController;
  supervisor: SessionSupervisor;
  restorePacer: RestorePacer;
  messengers: Messengers;
  registry: WorkerRegistry;
  logger: Logger;
}

/** What running a partition means: its job queue, its messengers' share of it, its accounts' sessions. */
export class PartitionHost implements PartitionLifecycle {
  private readonly workers = new Map<number, Worker>();

  constructor(private readonly deps: PartitionHostDeps) {}

  async start(partition: number, token: string): Promise<void> {
    const { deps } = this;
    // Claim the accounts first: from here on a previous owner's late writes are refused.
    await deps.db.accounts.claimPartition(partition, token);
    await deps.registry.markRunning(partition);
    const worker = new Worker(partitionQueueName(partition), deps.dispatcherFor(partition), {
      connection: deps.bullConnection,
      prefix: deps.keys.bullPrefix,
      concurrency: deps.concurrency,
      lockDuration: deps.lockDurationMs,
      stalledInterval: Math.max(1_000, Math.floor(deps.lockDurationMs / 2)),
      maxStalledCount: 5,
      autorun: true,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === SEND_BACKOFF_TYPE ? deps.sendBackoffMs * 2 ** Math.max(0, attemptsMade - 1) : 0,
      },
    });
    worker.on('error', (error) => deps.logger.warn({ err: error, partition }, 'queue worker error'));
    this.workers.set(partition, worker);
    await deps.messengers.partitionStarted(partition);

    const toRestore = await deps.db.accounts.listToRestore([partition]);
    for (const account of toRestore) {
      deps.restorePacer.schedule(account.provider, account.id, partition, () => deps.controller.reconcile(account.id, token));
    }
    if (toRestore.length > 0) deps.logger.info({ partition, accounts: toRestore.length }, 'restoring sessions');
  }

  async drain(partition: number): Promise<void> {
    const worker = this.workers.get(partition);
    this.workers.delete(partition);
    this.deps.restorePacer.cancelPartition(partition);
    // Stop taking jobs and let the active ones finish, then stop the sessions (kept stored).
    await worker?.close();
    this.deps.messengers.partitionStopped(partition);
    await this.deps.supervisor.stopPartition(partition);
  }

  fence(partition: number): void {
    const worker = this.workers.get(partition);
    this.workers.delete(partition);
    this.deps.restorePacer.cancelPartition(partition);
    this.deps.messengers.partitionStopped(partition);
    this.deps.supervisor.fencePartition(partition);
    void worker?.close(true).catch(() => undefined);
  }
}
