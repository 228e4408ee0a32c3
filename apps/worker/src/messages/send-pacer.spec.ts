import { SendPacer } from './send-pacer';

describe('SendPacer', () => {
  it('lets a burst through, then spaces sends at the rate', () => {
    let now = 0;
    const pacer = new SendPacer(5, 5, () => now);
    const waits = Array.from({ length: 20 }, (_, i) => pacer.reserve('a', `m${i}`));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits[5]).toBe(200);
    expect(waits[19]).toBe(3000);
    now = 3000;
    expect(pacer.reserve('a', 'm19')).toBe(0);
  });

  it('keeps a reserved slot when the send comes back early', () => {
    let now = 0;
    const pacer = new SendPacer(1, 1, () => now);
    expect(pacer.reserve('a', 'x')).toBe(0);
    expect(pacer.reserve('a', 'y')).toBe(1000);
    now = 400;
    expect(pacer.reserve('a', 'y')).toBe(600);
    now = 1000;
    expect(pacer.reserve('a', 'y')).toBe(0);
  });

  it('paces each account on its own', () => {
    const pacer = new SendPacer(1, 1, () => 0);
    expect(pacer.reserve('a', '1')).toBe(0);
    expect(pacer.reserve('a', '2')).toBe(1000);
    expect(pacer.reserve('b', '3')).toBe(0);
  });
});
