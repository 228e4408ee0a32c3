import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new API key: a recognisable prefix and 32 random bytes. Only its hash is stored. */
export function generateApiKey(): string {
  return `sb_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
