import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { AccountStatus, DesiredState, LoginMethod, Profile, Provider } from '@switchboard/contracts';
import type { AccountRow } from '../entities';
import { accountRowFromSql, type SqlRow } from './row-mappers';

export interface NewAccount {
  /** Given when the caller derives something from the id before the insert (the partition). */
  id?: string;
  tenantId: string;
  provider: Provider;
  name: string;
  partition: number;
}

export interface ConnectIntent {
  loginMethod: LoginMethod;
  phone: string | null;
}

export class AccountRepository {
  constructor(private readonly knex: Knex) {}

  async create(input: NewAccount): Promise<AccountRow> {
    const now = new Date();
    const [row] = await this.knex('account')
      .insert({
        id: input.id ?? randomUUID(),
        tenant_id: input.tenantId,
        provider: input.provider,
        name: input.name,
        desired_state: 'disconnected',
        status: 'disconnected',
        login_method: 'qr',
        partition: input.partition,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return accountRowFromSql(row as SqlRow);
  }

  async findById(id: string): Promise<AccountRow | null> {
    const row = await this.knex('account').where({ id }).first();
    return row ? accountRowFromSql(row) : null;
  }

  async findForTenant(tenantId: string, id: string): Promise<AccountRow | null> {
    const row = await this.knex('account').where({ id, tenant_id: tenantId }).first();
    return row ? accountRowFromSql(row) : null;
  }

  /** Accounts by id, in the order asked (null for a missing one): many lookups in one read. */
  async findManyByIds(ids: readonly string[]): Promise<(AccountRow | null)[]> {
    const rows = (await this.knex('account').whereIn('id', ids as string[])).map(accountRowFromSql);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async listForTenant(tenantId: string): Promise<AccountRow[]> {
    const rows = await this.knex('account').where({ tenant_id: tenantId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(accountRowFromSql);
  }

  /** Records the user's intent. Connect also records how to log in. */
  async setDesiredState(id: string, desiredState: DesiredState, intent?: ConnectIntent): Promise<AccountRow | null> {
    const [row] = await this.knex('account')
      .where({ id })
      .update({
        desired_state: desiredState,
        ...(intent ? { login_method: intent.loginMethod, phone: intent.phone } : {}),
        updated_at: new Date(),
      })
      .returning('*');
    return row ? accountRowFromSql(row as SqlRow) : null;
  }

  /**
   * Saves an observed status. `fence` is the writer's lease token: a write from an owner older
   * than the last writer is refused (returns null), so a stale worker cannot overwrite the truth.
   */
  async setStatus(id: string, status: AccountStatus, reason: string | null, fence: string): Promise<AccountRow | null> {
    const [row] = await this.knex('account')
      .where({ id })
      .andWhere('fence', '<=', fence)
      .update({ status, status_reason: reason, fence, updated_at: new Date() })
      .returning('*');
    return row ? accountRowFromSql(row as SqlRow) : null;
  }

  /** Saves the profile under the writer's lease; false when refused (a newer owner claimed it). */
  async setProfile(id: string, profile: Profile | null, fence: string): Promise<boolean> {
    return (await this.knex('account').where({ id }).andWhere('fence', '<=', fence).update({ profile, updated_at: new Date() })) > 0;
  }

  /**
   * A new owner of a partition claims its accounts: every account row takes the owner's fencing
   * token, so from now on a write under an older token (a stale owner's late write) is refused,
   * even for an account the new owner has not written yet. Returns how many rows moved.
   */
  async claimPartition(partition: number, fence: string): Promise<number> {
    return this.knex('account').where({ partition }).andWhere('fence', '<', fence).update({ fence });
  }

  /**
   * Accounts of these partitions that should run: what a new owner restores. Not those logged out
   * (their session is gone), nor those that failed without a stored session (a login that
   * expired, a provider this build cannot run): only the user can move those on, by connecting.
   */
  async listToRestore(partitions: readonly number[]): Promise<AccountRow[]> {
    if (partitions.length === 0) return [];
    const rows = await this.knex('account')
      .whereIn('partition', partitions)
      .andWhere({ desired_state: 'connected' })
      .andWhereNot({ status: 'logged_out' })
      .andWhere((q) =>
        q.whereNot({ status: 'failed' }).orWhereExists((s) => s.select(this.knex.raw('1')).from('account_session').whereRaw('account_session.account_id = account.id')),
      )
      .orderBy('created_at');
    return rows.map(accountRowFromSql);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.knex('account').where({ id }).delete()) > 0;
  }

  /** Accounts with a session (not disconnected, logged out or failed) per partition: the cluster view. */
  async countSessionsByPartition(): Promise<Map<number, number>> {
    const rows: { partition: number; sessions: string }[] = await this.knex('account')
      .whereNotIn('status', ['disconnected', 'logged_out', 'failed'])
      .groupBy('partition')
      .select('partition', this.knex.raw('count(*) as sessions'));
    return new Map(rows.map((r) => [Number(r.partition), Number(r.sessions)]));
  }

  /** Accounts by provider and status (metrics). */
  async countByStatus(): Promise<{ provider: string; status: string; count: number }[]> {
    const rows = await this.knex('account').select('provider', 'status').count('* as count').groupBy('provider', 'status');
    return rows.map((r: Record<string, unknown>) => ({ provider: String(r.provider), status: String(r.status), count: Number(r.count) }));
  }
}
