interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the calls made in one tick of the event loop and runs them as one batch (one SQL
 * statement, one pipeline). On this kind of machine every round trip and every commit is
 * costly; many small writes in flight at once are exactly what batching turns into one.
 * `run` returns one output per item, in order.
 */
export class TickBatcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private scheduled = false;

  /**
   * `maxBatch` bounds the summed weight of a batch (each item weighs 1 unless `weightOf` says
   * otherwise), e.g. the rows of one statement, which PostgreSQL caps at 65,535 parameters.
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 1_000,
    private readonly weightOf: (item: I) => number = () => 1,
    /** 0: the calls of one tick. More: also wait this long for company (work nobody waits on). */
    private readonly windowMs = 0,
  ) {}

  private pendingWeight = 0;

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
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      try {
        const outputs = await this.run(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(outputs[i] as O));
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
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
