import client, { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the worker's internals report at scrape time. Each source is read when Prometheus
 * scrapes; one that throws leaves its gauge empty for that scrape instead of failing it.
 */
export interface WorkerMetricsSources {
  /** Live messenger sessions on this worker, by provider. */
  liveSessionsByProvider(): Record<string, number>;
  /** Partition leases this worker holds now. */
  leasesHeld(): number;
  /** Sessions waiting to be restored (queued in the restore pacer). */
  restoresPending(): number;
}

export type SendOutcome = 'done' | 'wait' | 'error';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The worker's Prometheus registry: counters its services bump, gauges read from `sources`. */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly incomingMessages: Counter<'outcome'>;
  private readonly incomingStoreSeconds: Histogram;
  private readonly sends: Counter<'outcome'>;
  private readonly sendSeconds: Histogram<'outcome'>;
  private sources: WorkerMetricsSources | null = null;

  constructor(workerId: string) {
    this.registry.setDefaultLabels({ worker: workerId });
    client.collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.incomingMessages = new Counter({
      name: 'switchboard_worker_incoming_messages_total',
      help: 'Incoming messages handled, by outcome: stored or quarantined (could not be stored)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.incomingStoreSeconds = new Histogram({
      name: 'switchboard_worker_incoming_store_seconds',
      help: 'Time to store (and publish) one batch of incoming messages',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sends = new Counter({
      name: 'switchboard_worker_send_attempts_total',
      help: 'Send jobs run by this worker, by outcome: done (sent, or nothing left to do), wait (paced or not connected), error (retried), failed (given up)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'switchboard_worker_send_seconds',
      help: 'Time a send job took (load, pace, provider, record), by outcome',
      labelNames: ['outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    // Both outcomes show from the start, so a rate() over them works before the first quarantine.
    this.incomingMessages.inc({ outcome: 'stored' }, 0);
    this.incomingMessages.inc({ outcome: 'quarantined' }, 0);

    const read = <T>(what: (s: WorkerMetricsSources) => T): T | undefined => {
      if (!this.sources) return undefined;
      try {
        return what(this.sources);
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'switchboard_worker_live_sessions',
      help: 'Live messenger sessions on this worker, by provider',
      labelNames: ['provider'] as const,
      registers,
      collect() {
        this.reset();
        for (const [provider, count] of Object.entries(read((s) => s.liveSessionsByProvider()) ?? {})) this.set({ provider }, count);
      },
    });
    new Gauge({
      name: 'switchboard_worker_leases_held',
      help: 'Partition leases this worker holds',
      registers,
      collect() {
        const value = read((s) => s.leasesHeld());
        if (value !== undefined) this.set(value);
      },
    });
    new Gauge({
      name: 'switchboard_worker_restores_pending',
      help: 'Sessions waiting to be restored on this worker',
      registers,
      collect() {
        const value = read((s) => s.restoresPending());
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** Connects the gauges to the worker's internals (until then they are empty). */
  setSources(sources: WorkerMetricsSources): void {
    this.sources = sources;
  }

  incomingStored(count: number, seconds: number): void {
    this.incomingMessages.inc({ outcome: 'stored' }, count);
    this.incomingStoreSeconds.observe(seconds);
  }

  incomingQuarantined(count: number): void {
    this.incomingMessages.inc({ outcome: 'quarantined' }, count);
  }

  sendAttempted(outcome: SendOutcome, seconds: number): void {
    this.sends.inc({ outcome });
    this.sendSeconds.observe({ outcome }, seconds);
  }

  sendFailed(): void {
    this.sends.inc({ outcome: 'failed' });
  }
}
