import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Figures } from './figures';

export interface BaselineOptions {
  redisUrl: string;
  /** A BullMQ prefix of its own, inside the bench's Redis key prefix (cleaned with it). */
  prefix: string;
  jobs: number;
  concurrency: number;
  timeoutMs: number;
}

const CHUNK = 1_000;

/**
 * Bare BullMQ on the same Redis: one queue, a no-op processor at the workers' concurrency,
 * from the first add to the last completion. The ceiling any BullMQ pipeline runs under.
 */
export async function runBaseline(options: BaselineOptions): Promise<Figures> {
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('baseline', { connection: producer, prefix: options.prefix });
  let completed = 0;
  let lastCompletion = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const worker = new Worker('baseline', async () => undefined, { connection: consumer, prefix: options.prefix, concurrency: options.concurrency });
  worker.on('completed', () => {
    completed += 1;
    if (completed === options.jobs) {
      lastCompletion = performance.now();
      resolveDone();
    }
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await worker.waitUntilReady();
    const firstAdd = performance.now();
    for (let i = 0; i < options.jobs; i += CHUNK) {
      const size = Math.min(CHUNK, options.jobs - i);
      // The same completed-job trimming as the pipeline's send jobs (libs/queue job options).
      await queue.addBulk(Array.from({ length: size }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: { count: 10_000 } } })));
    }
    const finished = await Promise.race([done.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)))]);
    if (!finished) throw new Error(`bare BullMQ completed only ${completed} of ${options.jobs} jobs within ${options.timeoutMs} ms`);
    return { baseline_jobs_per_s: (options.jobs * 1000) / (lastCompletion - firstAdd), baseline_jobs: options.jobs, baseline_concurrency: options.concurrency };
  } finally {
    clearTimeout(timer);
    await worker.close(true).catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    producer.disconnect();
    consumer.disconnect();
  }
}
