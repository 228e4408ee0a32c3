import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis-keys';

/** Seals and opens secrets (the session cipher of libs/db fits). */
export interface SecretSealer {
  seal(plaintext: Buffer, associatedData: string): { keyId: string; blob: Buffer };
  open(sealed: { keyId: string; blob: Buffer }, associatedData: string): Buffer;
}

const TTL_MS = 10 * 60_000;

/**
 * Login input (a phone code, a 2FA password) must reach the owning worker but must never sit
 * in job data. The api seals it into a short-lived Redis entry and enqueues only its reference;
 * the worker takes it once (GETDEL) and opens it.
 */
export class LoginInputStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly sealer: SecretSealer,
  ) {}

  async put(accountId: string, value: string): Promise<string> {
    const ref = randomUUID();
    const sealed = this.sealer.seal(Buffer.from(value, 'utf8'), `${accountId}:${ref}`);
    await this.redis.set(this.keys.loginInput(ref), JSON.stringify({ k: sealed.keyId, b: sealed.blob.toString('base64') }), 'PX', TTL_MS);
    return ref;
  }

  /** The value, once; null when it expired or was already taken. */
  async take(accountId: string, ref: string): Promise<string | null> {
    const raw = await this.redis.getdel(this.keys.loginInput(ref));
    if (!raw) return null;
    const { k, b } = JSON.parse(raw) as { k: string; b: string };
    return this.sealer.open({ keyId: k, blob: Buffer.from(b, 'base64') }, `${accountId}:${ref}`).toString('utf8');
  }
}
