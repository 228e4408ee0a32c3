import type { Knex } from '@mikro-orm/postgresql';
import type { SessionCipher } from '../crypto/session-cipher';

/**
 * The one session store every messenger uses: blobs are sealed with AES-256-GCM before they
 * reach PostgreSQL and opened only inside the owning worker. Writes carry the owner's fencing
 * token and are compared with the account's (a new owner claims its accounts when it takes a
 * partition): a stale owner's late save or delete is refused, never applied.
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

  /** Where the last client of the account stopped reading (its session's own format), or null. */
  async catchUpCursor(accountId: string): Promise<string | null> {
    const row = await this.knex('account_session').where({ account_id: accountId }).first('catch_up_cursor');
    return (row?.catch_up_cursor as string | null | undefined) ?? null;
  }

  /**
   * Saves the catch-up cursors of many accounts in one statement, each under its writer's lease
   * and only beside a stored session (a cursor without a session means nothing).
   */
  async saveCursors(cursors: readonly { accountId: string; cursor: string; fence: string }[]): Promise<void> {
    if (cursors.length === 0) return;
    const values = cursors.map(() => '(?::uuid, ?::text, ?::bigint)').join(', ');
    await this.knex.raw(
      `update account_session s set catch_up_cursor = v.cursor
       from (values ${values}) as v(account_id, cursor, fence), account a
       where s.account_id = v.account_id and a.id = v.account_id and a.fence <= v.fence`,
      cursors.flatMap((c) => [c.accountId, c.cursor, c.fence]),
    );
  }

  async exists(accountId: string): Promise<boolean> {
    return (await this.knex('account_session').where({ account_id: accountId }).first('account_id')) !== undefined;
  }

  /** Returns false when the save was refused (a newer owner has claimed the account). */
  async save(accountId: string, session: Buffer, fence: string): Promise<boolean> {
    const sealed = this.cipher.seal(session, accountId);
    const result = await this.knex.raw(
      `insert into account_session (account_id, key_id, blob, fence, updated_at)
       select a.id, ?, ?, ?::bigint, now() from account a where a.id = ? and a.fence <= ?::bigint
       on conflict (account_id) do update
         set key_id = excluded.key_id, blob = excluded.blob, fence = excluded.fence, updated_at = now()
         where account_session.fence <= excluded.fence`,
      [sealed.keyId, sealed.blob, fence, accountId, fence],
    );
    return (result as { rowCount: number }).rowCount > 0;
  }

  /**
   * Deletes the stored session (a logout). `refused` when a newer owner has claimed the account:
   * a stale owner's late "logged out" never wipes the session its successor runs on.
   */
  async delete(accountId: string, fence: string): Promise<{ deleted: boolean; refused: boolean }> {
    const result = await this.knex.raw(
      `with a as (select id, fence <= ?::bigint as ok from account where id = ?),
       d as (delete from account_session s using a where s.account_id = a.id and a.ok returning 1)
       select coalesce((select ok from a), true) as ok, (select count(*) from d)::int as deleted`,
      [fence, accountId],
    );
    const row = (result as { rows: { ok: boolean; deleted: number }[] }).rows[0];
    return { deleted: (row?.deleted ?? 0) > 0, refused: row?.ok === false };
  }
}
