import { isRowError } from './row-error';

interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface TickBatcherOptions<I> {
  /**
   * Bounds the summed weight of a batch (each item weighs 1 unless `weightOf` says otherwise),
   * e.g. the rows of one statement, which PostgreSQL caps at 65,535 parameters. Default 1,000.
   */
  maxBatch?: number;
  weightOf?: (item: I) => number;
  /** 0: the calls of one tick. More: also wait this long for company (work nobody waits on). */
  windowMs?: number;
  /**
   * Whether a failed batch may owe its failure to one of its items. Such a batch is run again
   * item by item, so a bad row fails its own call and the rest of the tick succeeds. `run` must
   * then leave nothing behind when it throws (one statement, or idempotent steps). Default: a
   * PostgreSQL row error (`isRowError`); any other failure (a lost connection) fails every call.
   */
  isolates?: (error: unknown) => boolean;
}

/**
 * Gathers the calls made in one tick of the event loop and runs them as one batch (one SQL
 * statement, one pipeline). On this kind of machine every round trip and every commit is
 * costly; many small writes in flight at once are exactly what batching turns into one.
 * `run` returns one output per item, in order.
 */
export class TickBatcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private pendingWeight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly weightOf: (item: I) => number;
  private readonly windowMs: number;
  private readonly isolates: (error: unknown) => boolean;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    options: TickBatcherOptions<I> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1_000;
    this.weightOf = options.weightOf ?? (() => 1);
    this.windowMs = options.windowMs ?? 0;
    this.isolates = options.isolates ?? isRowError;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.pendingWeight += this.weightOf(item);
      if (this.pendingWeight >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => void this.flush(), this.windowMs);
        else setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length > 0) await this.runBatch(this.takeBatch());
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outputs[i] as O));
    } catch (error) {
      if (batch.length > 1 && this.isolates(error)) {
        for (const one of batch) await this.runBatch([one]);
        return;
      }
      for (const p of batch) p.reject(error);
    }
  }

  /** The oldest pending items up to `maxBatch` in weight (at least one item). */
  private takeBatch(): Pending<I, O>[] {
    let weight = 0;
    let count = 0;
    while (count < this.pending.length) {
      const next = this.weightOf((this.pending[count] as Pending<I, O>).item);
      if (count > 0 && weight + next > this.maxBatch) break;
      weight += next;
      count += 1;
    }
    this.pendingWeight -= weight;
    return this.pending.splice(0, count);
  }
}
