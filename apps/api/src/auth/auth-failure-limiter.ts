export interface AuthFailureLimits {
  /** Failures allowed per window for one client address and key prefix. */
  perKeyPrefix: number;
  /** Failures allowed per window for one client address, whatever the keys. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { perKeyPrefix: 10, perAddress: 30, windowMs: 60_000 };

/** Characters of a presented key that name its bucket: enough to tell keys apart, too few to matter. */
const PREFIX_LENGTH = 12;
const MAX_BUCKETS = 50_000;

interface Bucket {
  failures: number;
  resetAt: number;
}

/**
 * Counts failed authentications in fixed windows, per client address and per address and key
 * prefix, so guessing keys is slow while a client that made a typo is soon let back in. Kept in
 * the memory of each api instance: behind a load balancer with N instances the limits are N
 * times as loose, which still turns a brute force from millions of tries into dozens.
 */
export class AuthFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this client may try again, or 0 when it may try now. */
  retryAfterMs(address: string, presentedKey: string): number {
    const now = this.now();
    let wait = 0;
    for (const [key, limit] of this.bucketsOf(address, presentedKey)) {
      const bucket = this.buckets.get(key);
      if (bucket && bucket.resetAt > now && bucket.failures >= limit) wait = Math.max(wait, bucket.resetAt - now);
    }
    return wait;
  }

  recordFailure(address: string, presentedKey: string): void {
    const now = this.now();
    if (this.buckets.size > MAX_BUCKETS) this.sweep(now);
    for (const [key] of this.bucketsOf(address, presentedKey)) {
      const bucket = this.buckets.get(key);
      if (!bucket || bucket.resetAt <= now) this.buckets.set(key, { failures: 1, resetAt: now + this.limits.windowMs });
      else bucket.failures += 1;
    }
  }

  private bucketsOf(address: string, presentedKey: string): [string, number][] {
    return [
      [`a\u0000${address}`, this.limits.perAddress],
      [`k\u0000${address}\u0000${presentedKey.slice(0, PREFIX_LENGTH)}`, this.limits.perKeyPrefix],
    ];
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.resetAt <= now) this.buckets.delete(key);
  }
}
