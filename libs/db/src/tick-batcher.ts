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

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 1_000,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const outputs = await this.run(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(outputs[i] as O));
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }
}
