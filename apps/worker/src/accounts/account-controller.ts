import type { Logger } from '@switchboard/config';
import type { Database } from '@switchboard/db';
import type { LoginInputStore } from '@switchboard/queue';
import type { Messengers } from '@switchboard/messengers';
import { PermanentJobError } from '../jobs/job-errors';
import { LeaseLostError } from '../ownership/lease-lost-error';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import type { AccountEventsService } from './account-events.service';
import type { RedisFence } from '@switchboard/events';
import { accountRefOf, type AccountRef, type LiveAccount } from './live-account';

export interface AccountControllerDeps {
  db: Database;
  supervisor: SessionSupervisor;
  accountEvents: AccountEventsService;
  loginInputs: LoginInputStore;
  messengers: Messengers;
  /** The Redis fence of a lease (this worker, that token). */
  redisFenceOf(partition: number, token: string): RedisFence;
  /** Whether this worker still certainly holds the partition's lease under `token`. */
  leaseHolds(partition: number, token: string): boolean;
  /** The account's desired state changed: sends waiting for it to connect decide again. */
  wakeWaitingSends(ref: AccountRef): Promise<void>;
  logger: Logger;
}

/**
 * Drives each account toward its desired state. Every method is idempotent and re-reads the
 * account, so a stale or repeated job does the right thing (or nothing).
 */
export class AccountController {
  constructor(private readonly deps: AccountControllerDeps) {}

  /** Connect, and restore after a takeover or a restart. */
  async reconcile(accountId: string, token: string): Promise<void> {
    const account = await this.deps.db.accounts.findById(accountId);
    if (!account || account.desiredState !== 'connected') return;
    await this.deps.supervisor.actorFor(account, token).ensureStarted(account);
  }

  async loginInput(accountId: string, step: 'code' | 'password', inputRef: string): Promise<void> {
    const value = await this.deps.loginInputs.take(accountId, inputRef);
    if (value === null) throw new PermanentJobError('The login input expired before it reached the session; send it again.');
    const actor = this.deps.supervisor.get(accountId);
    if (!actor || !(await actor.loginInput({ step, value }))) throw new PermanentJobError('No login is in progress for this account; connect again.');
  }

  async disconnect(accountId: string, logout: boolean, token: string): Promise<void> {
    const account = await this.deps.db.accounts.findById(accountId);
    // The user connected again after asking to disconnect: the later intent wins.
    if (!account || account.desiredState !== 'disconnected') return;
    const live = await this.end(accountRefOf(account), token, logout);
    await this.deps.accountEvents.status(live, 'disconnected', logout ? 'Logged out.' : null);
    await this.deps.wakeWaitingSends(live.ref);
  }

  /** Logs the session out, then deletes the account and everything of it. */
  async delete(accountId: string, token: string): Promise<void> {
    const account = await this.deps.db.accounts.findById(accountId);
    if (!account) return;
    await this.end(accountRefOf(account), token, true);
    await this.deps.messengers.forget(account.provider, accountId);
    await this.deps.db.accounts.delete(accountId);
    this.deps.logger.info({ accountId }, 'account deleted');
  }

  /**
   * Stops the account's client under the lease; with logout the provider ends the session (a
   * client started for it if none runs here) and the stored session is deleted, fenced.
   */
  private async end(ref: AccountRef, token: string, logout: boolean): Promise<LiveAccount> {
    if (!this.deps.leaseHolds(ref.partition, token)) throw new LeaseLostError(`This worker no longer holds the lease of partition ${ref.partition}.`);
    const live: LiveAccount = { ref, token, redisFence: this.deps.redisFenceOf(ref.partition, token), fenced: false };
    const loggedIn = this.deps.supervisor.get(ref.id)?.connected ?? false;
    await this.deps.supervisor.stop(ref.id, { logout });
    if (logout) {
      // No client of it ran here to log out: the provider still has the session.
      if (!loggedIn) await this.deps.messengers.logoutStored(ref.provider, ref.id);
      await this.deps.db.sessions.delete(ref.id, token);
    }
    await this.deps.accountEvents.clearQr(live);
    return live;
  }
}
