import type { Redis } from 'ioredis';
import type { QrCode } from '@switchboard/contracts';

/** Pending QR codes live in Redis until they expire (for clients that poll GET …/qr). */
export class QrStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (accountId: string) => string,
  ) {}

  async put(accountId: string, qr: QrCode): Promise<void> {
    const ttl = Math.max(1, new Date(qr.expiresAt).getTime() - Date.now());
    await this.redis.set(this.keyOf(accountId), JSON.stringify(qr), 'PX', ttl);
  }

  async get(accountId: string): Promise<QrCode | null> {
    const raw = await this.redis.get(this.keyOf(accountId));
    return raw ? (JSON.parse(raw) as QrCode) : null;
  }

  async clear(accountId: string): Promise<void> {
    await this.redis.del(this.keyOf(accountId));
  }
}
