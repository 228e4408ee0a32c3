import { TickBatcher } from './tick-batcher';

const rowError = (message: string) => Object.assign(new Error(message), { code: '23503' });

describe('TickBatcher', () => {
  it('runs the calls of one tick as one batch and answers each in order', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 2);
    });
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    expect(answers).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at the batch size and rejects every call of a batch that failed for a reason of its own', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (items.includes(2)) throw new Error('connection lost');
        return items;
      },
      { maxBatch: 2 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('fails only the bad item of a batch when the failure is a row error, and the rest succeed', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(async (items) => {
      batches.push(items);
      if (items.includes(2)) throw rowError('insert or update on table "message" violates foreign key constraint');
      return items.map((n) => n * 10);
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: expect.objectContaining({ code: '23503' }) },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('bounds a batch by the summed weight of its items', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number[], number>(
      async (items) => {
        batches.push(items.map((i) => i.length));
        return items.map((i) => i.length);
      },
      { maxBatch: 5, weightOf: (item) => item.length },
    );
    await Promise.all([[1, 2, 3], [4, 5], [6, 7], [8]].map((n) => batcher.add(n)));
    expect(batches).toEqual([[3, 2], [2, 1]]);
  });
});
