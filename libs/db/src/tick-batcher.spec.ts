import { TickBatcher } from './tick-batcher';

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

  it('splits at the batch size and rejects every call of a failed batch', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(async (items) => {
      batches.push(items);
      if (items.includes(3)) throw new Error('boom');
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('bounds a batch by the summed weight of its items', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number[], number>(
      async (items) => {
        batches.push(items.map((i) => i.length));
        return items.map((i) => i.length);
      },
      5,
      (item) => item.length,
    );
    await Promise.all([[1, 2, 3], [4, 5], [6, 7], [8]].map((n) => batcher.add(n)));
    expect(batches).toEqual([[3, 2], [2, 1]]);
  });
});
