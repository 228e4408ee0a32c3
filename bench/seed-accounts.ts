import { randomUUID } from 'node:crypto';
import { SessionCipher } from '@switchboard/db';
import { partitionOf } from '@switchboard/queue';
import type { SwitchboardSystem } from '@switchboard/testing';

const CHUNK = 1_000;

/**
 * Sandbox accounts that should be connected and have a stored session, written straight to
 * PostgreSQL and the simulated network (no QR): a worker restores them as after a restart.
 * The sandbox restores a session whose device token the network still knows.
 */
export async function seedRestorableAccounts(system: SwitchboardSystem, tenantId: string, count: number, namePrefix: string): Promise<string[]> {
  const cipher = new SessionCipher(system.env.sessionKey);
  const ids: string[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, count - start) }, () => randomUUID());
    const tokens = chunk.map(() => randomUUID());
    const blobs = chunk.map((id, i) => cipher.seal(Buffer.from(JSON.stringify({ deviceToken: tokens[i], phone: null })), id).blob);
    await system.sql(
      `insert into account (id, tenant_id, provider, name, desired_state, status, login_method, partition, fence, created_at, updated_at)
       select t.id, $2, 'sandbox', t.name, 'connected', 'disconnected', 'qr', t.p, 0, now(), now()
       from unnest($1::uuid[], $3::text[], $4::int[]) as t(id, name, p)`,
      [chunk, tenantId, chunk.map((_, i) => `${namePrefix}-${start + i}`), chunk.map((id) => partitionOf(id, system.partitions))],
    );
    await system.sql(
      `insert into account_session (account_id, key_id, blob, fence, updated_at)
       select t.id, $2, t.blob, 0, now() from unnest($1::uuid[], $3::bytea[]) as t(id, blob)`,
      [chunk, cipher.currentKeyId, blobs],
    );
    const devices = system.redis.pipeline();
    chunk.forEach((id, i) => devices.set(system.keys.sandbox.device(id), tokens[i] as string));
    await devices.exec();
    ids.push(...chunk);
  }
  return ids;
}
