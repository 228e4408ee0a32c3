import type { Knex } from '@mikro-orm/postgresql';
import type { SessionCipher } from '../crypto/session-cipher';

/**
 * The one session store every messenger uses: blobs are sealed with AES-256-GCM before they
 * reach PostgreSQL and opened only inside the owning worker. Writes carry the owner's fencing
 * token; a stale owner's late save is refused.
 */
export class SessionRepository {
  constructor(
    private readonly knex: Knex,
    private readonly cipher: SessionCipher,
  ) {}

  async load(accountId: string): Promise<Buffer | null> {
    const row = await this.knex('account_session').where({ account_id: accountId }).first('key_id', 'blob');
    if (!row) return null;
    return this.cipher.open({ keyId: row.key_id as string, blob: row.blob as Buffer }, accountId);
  }

  /** Returns false when a newer owner has written since (the save is refused). */
  async save(accountId: string, session: Buffer, fence: string): Promise<boolean> {
    const sealed = this.cipher.seal(session, accountId);
    const result = await this.knex.raw(
      `insert into account_session (account_id, key_id, blob, fence, updated_at)
       values (?, ?, ?, ?, now())
       on conflict (account_id) do update
         set key_id = excluded.key_id, blob = excluded.blob, fence = excluded.fence, updated_at = now()
         where account_session.fence <= excluded.fence`,
      [accountId, sealed.keyId, sealed.blob, fence],
    );
    return (result as { rowCount: number }).rowCount > 0;
  }

  async delete(accountId: string): Promise<void> {
    await this.knex('account_session').where({ account_id: accountId }).delete();
  }
}
