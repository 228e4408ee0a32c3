import type { Provider } from '@switchboard/contracts';

export interface RestorePace {
  concurrency: number;
  spacingMs: number;
}

interface Pending {
  key: string;
  partition: number;
  run: () => Promise<void>;
}

/**
 * Restores sessions a few at a time with launches spaced out, per provider: a worker that
 * restores fifty Chromium sessions at once falls over.
 */
export class RestorePacer {
  private readonly queues = new Map<Provider, Pending[]>();
  private readonly active = new Map<Provider, number>();
  private readonly lastLaunch = new Map<Provider, number>();
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly pace: Record<Provider, RestorePace>,
    private readonly onError: (error: unknown, key: string) => void,
  ) {}

  schedule(provider: Provider, key: string, partition: number, run: () => Promise<void>): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const queue = this.queues.get(provider) ?? [];
    queue.push({ key, partition, run });
    this.queues.set(provider, queue);
    this.pump(provider);
  }

  /** Drops what is still waiting for a partition that moved away. */
  cancelPartition(partition: number): void {
    for (const [provider, queue] of this.queues) {
      const keep = queue.filter((p) => p.partition !== partition);
      for (const dropped of queue) if (dropped.partition === partition) this.queued.delete(dropped.key);
      this.queues.set(provider, keep);
    }
  }

  pendingCount(): number {
    return [...this.queues.values()].reduce((n, q) => n + q.length, 0);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queues.clear();
    this.queued.clear();
  }

  private pump(provider: Provider): void {
    const { concurrency, spacingMs } = this.pace[provider];
    const queue = this.queues.get(provider) ?? [];
    while (queue.length > 0 && (this.active.get(provider) ?? 0) < concurrency) {
      const wait = (this.lastLaunch.get(provider) ?? 0) + spacingMs - Date.now();
      if (wait > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.pump(provider);
        }, wait);
        this.timers.add(timer);
        return;
      }
      const next = queue.shift() as Pending;
      this.queued.delete(next.key);
      this.lastLaunch.set(provider, Date.now());
      this.active.set(provider, (this.active.get(provider) ?? 0) + 1);
      next
        .run()
        .catch((error: unknown) => this.onError(error, next.key))
        .finally(() => {
          this.active.set(provider, (this.active.get(provider) ?? 1) - 1);
          this.pump(provider);
        });
    }
  }
}
