import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@switchboard/config';
import type { Database } from '@switchboard/db';
import { partitionQueueName } from '@switchboard/queue';
import type { AccountRef } from '../accounts/live-account';

/** At most this many parked sends of one account are woken at a time (the rest wake on their own). */
const WAKE_LIMIT = 1_000;

/**
 * Sends that wait for their account to connect are parked as delayed jobs until their deadline,
 * not polled. When the account connects (or the user changes its desired state), its unsent
 * messages' jobs are promoted and decide again. PostgreSQL says which messages are unsent, so a
 * new owner wakes what an old owner parked.
 */
export class WaitingSends {
  private readonly queues = new Map<number, Queue>();

  constructor(
    private readonly db: Database,
    private readonly connection: Redis,
    private readonly bullPrefix: string,
    private readonly logger: Logger,
  ) {}

  async wake(ref: AccountRef): Promise<void> {
    const ids = await this.db.messages.listUnsentIds(ref.id, WAKE_LIMIT);
    if (ids.length === 0) return;
    const queue = this.queueOf(ref.partition);
    let woken = 0;
    await Promise.all(
      ids.map(async (id) => {
        const job = await Job.fromId(queue, id);
        if (!job || !(await job.isDelayed())) return;
        // It may have been promoted or taken meanwhile: then there is nothing to wake.
        await job.promote().then(
          () => (woken += 1),
          () => undefined,
        );
      }),
    );
    if (woken > 0) this.logger.debug({ accountId: ref.id, woken }, 'woke sends waiting for the account');
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private queueOf(partition: number): Queue {
    let queue = this.queues.get(partition);
    if (!queue) {
      queue = new Queue(partitionQueueName(partition), { connection: this.connection, prefix: this.bullPrefix });
      queue.on('error', (error) => this.logger.warn({ err: error, partition }, 'queue error'));
      this.queues.set(partition, queue);
    }
    return queue;
  }
}
