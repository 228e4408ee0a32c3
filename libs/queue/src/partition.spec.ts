import { randomUUID } from 'node:crypto';
import { partitionOf } from './partition';

describe('partitionOf', () => {
  it('is stable for an id', () => {
    expect(partitionOf('7c9e6679-7425-40de-944b-e07fc1f90ae7', 64)).toBe(partitionOf('7c9e6679-7425-40de-944b-e07fc1f90ae7', 64));
  });

  it('stays within range and spreads ids roughly evenly', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[partitionOf(randomUUID(), 64)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});
