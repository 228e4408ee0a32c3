import type { Queue } from 'bullmq';
import client, { Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '@switchboard/config';
import { withTimeout } from '../with-timeout';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface ApiMetricsOptions {
  /** Every partition queue; their counts are read at scrape time. */
  queues: () => Queue[];
  /** False while Redis is unreachable: a scrape then skips the queues instead of waiting. */
  redisReady: () => boolean;
  logger: Logger;
  scrapeTimeoutMs?: number;
}

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** A registry per app (several apps can live in one process, as in tests). */
export function createApiMetrics(options: ApiMetricsOptions): ApiMetrics {
  const registry = new Registry();
  client.collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  new Gauge({
    name: 'switchboard_queue_jobs',
    help: 'Jobs per partition queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!options.redisReady()) return;
      try {
        const queues = options.queues();
        const counts = await withTimeout(
          Promise.all(queues.map((queue) => queue.getJobCounts(...QUEUE_STATES))),
          options.scrapeTimeoutMs ?? 3_000,
          'reading queue counts',
        );
        queues.forEach((queue, i) => {
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[i]?.[state] ?? 0);
        });
      } catch (error) {
        options.logger.warn({ err: error }, 'metrics: could not read queue counts');
      }
    },
  });

  return { registry, httpDuration };
}
