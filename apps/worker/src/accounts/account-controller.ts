import type { Logger } from '@switchboard/config';
import type { Database } from '@switchboard/db';
import type { QrStore } from '@switchboard/events';
import type { LoginInputStore } from '@switchboard/queue';
import type { SandboxNetwork } from '@switchboard/messengers';
import { PermanentJobError } from '../jobs/job-errors';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import type { AccountEventsService } from './account-events.service';
import { accountRefOf } from './live-account';

export interface AccountControllerDeps {
  db: Database;
  supervisor: SessionSupervisor;
  accountEvents: AccountEventsService;
  loginInputs: LoginInputStore;
  qrStore: QrStore;
  sandboxNetwork: SandboxNetwork;
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
    await this.deps.supervisor.ensureStarted(account, token);
  }

  async loginInput(accountId: string, step: 'code' | 'password', inputRef: string): Promise<void> {
    const value = await this.deps.loginInputs.take(accountId, inputRef);
    if (value === null) throw new PermanentJobError('The login input expired before it reached the session; send it again.');
    const live = this.deps.supervisor.get(accountId);
    if (!live) throw new PermanentJobError('No login is in progress for this account; connect again.');
    await live.session.submitLoginInput({ step, value });
  }

  async disconnect(accountId: string, logout: boolean, token: string): Promise<void> {
    const account = await this.deps.db.accounts.findById(accountId);
    // The user connected again after asking to disconnect: the later intent wins.
    if (!account || account.desiredState !== 'disconnected') return;
    await this.deps.supervisor.stop(accountId, { logout });
    if (logout) {
      await this.deps.db.sessions.delete(accountId);
      if (account.provider === 'sandbox') await this.deps.sandboxNetwork.logout(accountId);
    }
    await this.deps.qrStore.clear(accountId);
    await this.deps.accountEvents.statusOf(accountRefOf(account), token, 'disconnected', logout ? 'Logged out.' : null);
  }

  /** Logs the session out, then deletes the account and everything of it. */
  async delete(accountId: string): Promise<void> {
    const account = await this.deps.db.accounts.findById(accountId);
    if (!account) return;
    await this.deps.supervisor.stop(accountId, { logout: true });
    if (account.provider === 'sandbox') await this.deps.sandboxNetwork.forget(accountId);
    await this.deps.qrStore.clear(accountId);
    await this.deps.db.accounts.delete(accountId);
    this.deps.logger.info({ accountId }, 'account deleted');
  }
}
