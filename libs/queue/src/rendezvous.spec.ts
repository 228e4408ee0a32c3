import { ownerOf, partitionsOwnedBy } from './rendezvous';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('rendezvous assignment', () => {
  it('gives every partition to exactly one live worker, the same for every caller', () => {
    const workers = ['w-a', 'w-b', 'w-c'];
    const shuffled = ['w-c', 'w-a', 'w-b'];
    for (const p of range(64)) {
      expect(workers).toContain(ownerOf(p, workers));
      expect(ownerOf(p, shuffled)).toBe(ownerOf(p, workers));
    }
    const total = workers.map((w) => partitionsOwnedBy(w, workers, 64).length).reduce((a, b) => a + b, 0);
    expect(total).toBe(64);
  });

  it('splits partitions roughly evenly', () => {
    const workers = ['host-1-100-aa', 'host-1-101-bb'];
    const counts = workers.map((w) => partitionsOwnedBy(w, workers, 64).length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(20);
  });

  it('moves only the partitions the joining worker wins', () => {
    const before = ['w-a', 'w-b'];
    const after = ['w-a', 'w-b', 'w-c'];
    for (const p of range(256)) {
      const next = ownerOf(p, after);
      if (next !== 'w-c') expect(next).toBe(ownerOf(p, before));
    }
  });

  it('has no owner without live workers', () => {
    expect(ownerOf(3, [])).toBeUndefined();
  });
});
