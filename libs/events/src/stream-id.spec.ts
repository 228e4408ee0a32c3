import { compareStreamIds, isStreamId } from './stream-id';

describe('stream ids', () => {
  it('orders by time, then sequence, numerically', () => {
    expect(compareStreamIds('1700000000000-0', '1700000000000-1')).toBeLessThan(0);
    expect(compareStreamIds('1700000000000-10', '1700000000000-9')).toBeGreaterThan(0);
    expect(compareStreamIds('999-5', '1000-0')).toBeLessThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
  });

  it('recognises only stream ids', () => {
    expect(isStreamId('1700000000000-0')).toBe(true);
    expect(isStreamId('$')).toBe(false);
    expect(isStreamId('12')).toBe(false);
  });
});
