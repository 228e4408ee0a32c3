import { createHash } from 'node:crypto';
import type { AuthKey } from 'telegram/crypto/AuthKey';

/** An auth key a client created with the fake, and who (if anyone) it is logged in as. */
export interface AuthKeyRecord {
  /** auth_key_id: the lower 64 bits of SHA1(auth_key), hex. */
  id: string;
  idBytes: Buffer;
  key: Buffer;
  dcId: number;
  userId?: number;
  /** Signed in with code or QR, waiting for the 2FA password. */
  passwordPendingFor?: number;
  /** Logged out by the driver (another device terminated this session). */
  revoked: boolean;
}

/** Auth keys by id, across the fake's data centres (a key belongs to the DC that created it). */
export class AuthKeyRegistry {
  private readonly keys = new Map<string, AuthKeyRecord>();

  add(authKey: AuthKey, dcId: number): AuthKeyRecord {
    const key = authKey.getKey();
    if (!key) throw new Error('auth key without a value');
    const idBytes = createHash('sha1').update(key).digest().subarray(12, 20);
    const record: AuthKeyRecord = { id: idBytes.toString('hex'), idBytes, key, dcId, revoked: false };
    this.keys.set(record.id, record);
    return record;
  }

  get size(): number {
    return this.keys.size;
  }

  get(idBytes: Buffer): AuthKeyRecord | undefined {
    return this.keys.get(idBytes.toString('hex'));
  }

  bind(record: AuthKeyRecord, userId: number): void {
    record.userId = userId;
    record.passwordPendingFor = undefined;
    record.revoked = false;
  }

  /** Terminates every session of a user: their keys answer AUTH_KEY_UNREGISTERED from now on. */
  revokeUser(userId: number): AuthKeyRecord[] {
    const revoked = [...this.keys.values()].filter((record) => record.userId === userId);
    for (const record of revoked) {
      record.userId = undefined;
      record.revoked = true;
    }
    return revoked;
  }

  keysOf(userId: number): AuthKeyRecord[] {
    return [...this.keys.values()].filter((record) => record.userId === userId);
  }
}
