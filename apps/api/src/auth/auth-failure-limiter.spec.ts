import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  const limits = { perKeyPrefix: 3, perAddress: 5, windowMs: 60_000 };
  let now = 0;
  const limiter = () => new AuthFailureLimiter(limits, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a client fail up to the limit for one key prefix, then makes it wait for the window', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterMs('1.2.3.4', 'sb_guessAAAAxyz')).toBe(0);
      l.recordFailure('1.2.3.4', 'sb_guessAAAAxyz');
    }
    expect(l.retryAfterMs('1.2.3.4', 'sb_guessAAAA-other-tail')).toBe(60_000);
    now += 59_000;
    expect(l.retryAfterMs('1.2.3.4', 'sb_guessAAAAxyz')).toBe(1_000);
    now += 1_000;
    expect(l.retryAfterMs('1.2.3.4', 'sb_guessAAAAxyz')).toBe(0);
  });

  it('keeps other addresses and other key prefixes apart, up to the per-address limit', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('1.2.3.4', 'sb_guessAAAA');
    expect(l.retryAfterMs('5.6.7.8', 'sb_guessAAAA')).toBe(0);
    expect(l.retryAfterMs('1.2.3.4', 'sb_guessBBBB')).toBe(0);
    l.recordFailure('1.2.3.4', 'sb_guessBBBB');
    l.recordFailure('1.2.3.4', 'sb_guessCCCC');
    expect(l.retryAfterMs('1.2.3.4', 'sb_guessDDDD')).toBe(60_000);
  });
});
