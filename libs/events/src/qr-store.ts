import type { Redis } from 'ioredis';
import type { QrCode } from '@switchboard/contracts';
import type { RedisFence } from './redis-fence';

// Written and cleared only while the lease holds the writer (the owner of the account).
const FENCED_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`;
const FENCED_DEL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
return 1`;

/** Pending QR codes live in Redis until they expire (for clients that poll GET …/qr). */
export class QrStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (accountId: string) => string,
  ) {}

  /** Stores the QR while `fence` holds; false when it was refused (a stale owner). */
  async put(accountId: string, qr: QrCode, fence: RedisFence): Promise<boolean> {
    const ttl = Math.max(1, new Date(qr.expiresAt).getTime() - Date.now());
    return (await this.redis.eval(FENCED_SET, 2, fence.key, this.keyOf(accountId), fence.holder, JSON.stringify(qr), ttl)) === 1;
  }

  async get(accountId: string): Promise<QrCode | null> {
    const raw = await this.redis.get(this.keyOf(accountId));
    return raw ? (JSON.parse(raw) as QrCode) : null;
  }

  async clear(accountId: string, fence: RedisFence): Promise<boolean> {
    return (await this.redis.eval(FENCED_DEL, 2, fence.key, this.keyOf(accountId), fence.holder)) === 1;
  }
}
