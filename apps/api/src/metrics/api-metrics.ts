import type { Queue } from 'bullmq';
import client, { Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '@switchboard/config';
import { withTimeout } from '../with-timeout';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Reads for the gauges that describe the deployment, not this process (read at scrape time). */
export interface DeploymentReads {
  /** Accounts by provider and status. */
  accountsByStatus(): Promise<{ provider: string; status: string; count: number }[]>;
  /** Entries in the event stream. */
  eventStreamLength(): Promise<number>;
  /** Rows in the quarantine of incoming messages. */
  quarantinedMessages(): Promise<number>;
}

export interface ApiMetricsOptions {
  /** Absent in tests that build the app without a database. */
  deployment?: DeploymentReads;
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
  /** Age of each event when this instance read it from the stream (its lag behind the writers). */
  eventLag: Histogram;
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

  const eventLag = new Histogram({
    name: 'switchboard_event_stream_lag_seconds',
    help: 'Age of each event (now minus its stream id time) when this api instance read it for its sockets',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const deployment = options.deployment;
  const timeoutMs = options.scrapeTimeoutMs ?? 3_000;
  if (deployment) {
    new Gauge({
      name: 'switchboard_accounts',
      help: 'Accounts by provider and status (the whole deployment, read from PostgreSQL at scrape time)',
      labelNames: ['provider', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          for (const row of await withTimeout(deployment.accountsByStatus(), timeoutMs, 'reading account counts')) {
            this.set({ provider: row.provider, status: row.status }, row.count);
          }
        } catch (error) {
          options.logger.warn({ err: error }, 'metrics: could not read account counts');
        }
      },
    });
    new Gauge({
      name: 'switchboard_event_stream_length',
      help: 'Events kept in the Redis stream (capped at EVENT_STREAM_MAXLEN)',
      registers: [registry],
      async collect() {
        if (!options.redisReady()) return;
        try {
          this.set(await withTimeout(deployment.eventStreamLength(), timeoutMs, 'reading the stream length'));
        } catch (error) {
          options.logger.warn({ err: error }, 'metrics: could not read the event stream length');
        }
      },
    });
    new Gauge({
      name: 'switchboard_quarantined_messages',
      help: 'Incoming messages in quarantine (could not be stored; GET /v1/quarantined-messages)',
      registers: [registry],
      async collect() {
        try {
          this.set(await withTimeout(deployment.quarantinedMessages(), timeoutMs, 'counting quarantined messages'));
        } catch (error) {
          options.logger.warn({ err: error }, 'metrics: could not count quarantined messages');
        }
      },
    });
  }

  return { registry, httpDuration, eventLag };
}
