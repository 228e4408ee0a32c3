import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobMap, JobName } from '@switchboard/contracts';
import { jobOptionsFor } from './job-options';
import { partitionOf } from './partition';
import { partitionQueueName } from './queue-names';
import { redisKeys } from './redis-keys';

export interface JobProducerOptions {
  connection: Redis;
  prefix: string;
  partitions: number;
}

/**
 * The one way to enqueue: picks the account's partition queue and applies the job's options.
 * Apps never construct a Queue themselves.
 */
export class JobProducer {
  private readonly queues = new Map<number, Queue>();
  private readonly bullPrefix: string;

  constructor(private readonly options: JobProducerOptions) {
    this.bullPrefix = redisKeys(options.prefix).bullPrefix;
  }

  async enqueue<N extends JobName>(name: N, data: JobMap[N]): Promise<{ jobId: string; queue: string }> {
    const partition = partitionOf(data.accountId, this.options.partitions);
    const queue = this.queue(partition);
    const job = await queue.add(name, data, jobOptionsFor(name, data));
    return { jobId: job.id as string, queue: queue.name };
  }

  /**
   * Many jobs at once: one `addBulk` per partition queue (one round trip each) instead of one
   * per job. Answers in the order given.
   */
  async enqueueMany<N extends JobName>(jobs: readonly { name: N; data: JobMap[N] }[]): Promise<{ jobId: string; queue: string }[]> {
    const byPartition = new Map<number, number[]>();
    jobs.forEach((job, index) => {
      const partition = partitionOf(job.data.accountId, this.options.partitions);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), index]);
    });
    const answers = new Array<{ jobId: string; queue: string }>(jobs.length);
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const queue = this.queue(partition);
        if (indexes.length === 1) {
          // addBulk builds an ioredis Pipeline (copying every script command); one job needs none.
          const job = jobs[indexes[0] as number] as { name: N; data: JobMap[N] };
          const added = await queue.add(job.name, job.data, jobOptionsFor(job.name, job.data));
          answers[indexes[0] as number] = { jobId: added.id as string, queue: queue.name };
          return;
        }
        const added = await queue.addBulk(
          indexes.map((i) => {
            const job = jobs[i] as { name: N; data: JobMap[N] };
            return { name: job.name, data: job.data, opts: jobOptionsFor(job.name, job.data) };
          }),
        );
        added.forEach((job, k) => (answers[indexes[k] as number] = { jobId: job.id as string, queue: queue.name }));
      }),
    );
    return answers;
  }

  /** The queue of one partition (created on first use, shared connection). */
  queue(partition: number): Queue {
    let queue = this.queues.get(partition);
    if (!queue) {
      queue = new Queue(partitionQueueName(partition), { connection: this.options.connection, prefix: this.bullPrefix });
      queue.on('error', () => undefined);
      this.queues.set(partition, queue);
    }
    return queue;
  }

  /** Every partition queue, for Bull Board and metrics. */
  allQueues(): Queue[] {
    return Array.from({ length: this.options.partitions }, (_, p) => this.queue(p));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
