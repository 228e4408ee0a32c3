import { streamIdAfter } from './live-socket';

describe('streamIdAfter', () => {
  it('orders Redis stream ids by time, then sequence, numerically', () => {
    expect(streamIdAfter('1700000000001-0', '1700000000000-5')).toBe(true);
    expect(streamIdAfter('1700000000000-10', '1700000000000-9')).toBe(true);
    expect(streamIdAfter('1700000000000-9', '1700000000000-10')).toBe(false);
    expect(streamIdAfter('1700000000000-3', '1700000000000-3')).toBe(false);
  });
});
