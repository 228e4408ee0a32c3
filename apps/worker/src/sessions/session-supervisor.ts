import type { Logger } from '@switchboard/config';
import type { AccountRow, Database } from '@switchboard/db';
import type { MessengerFactory, SessionSink } from '@switchboard/messengers';
import type { AccountEventsService } from '../accounts/account-events.service';
import { accountRefOf, FINISHED_STATUSES, type LiveAccount } from '../accounts/live-account';
import type { DeliveryReceiptService } from '../messages/delivery-receipt.service';
import type { IncomingMessageService } from '../messages/incoming-message.service';

export interface SupervisorDeps {
  db: Database;
  factory: MessengerFactory;
  accountEvents: AccountEventsService;
  incoming: IncomingMessageService;
  receipts: DeliveryReceiptService;
  logger: Logger;
  workerId: string;
}

/**
 * Owns the live sessions of this worker: at most one per account, each bound to the lease
 * (fencing token) of its partition. Maps each session's reports to the services that save and
 * publish them.
 */
export class SessionSupervisor {
  private readonly live = new Map<string, LiveAccount>();

  constructor(private readonly deps: SupervisorDeps) {}

  get(accountId: string): LiveAccount | undefined {
    return this.live.get(accountId);
  }

  /** Running sessions by provider (for metrics). */
  countByProvider(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const live of this.live.values()) counts[live.ref.provider] = (counts[live.ref.provider] ?? 0) + 1;
    return counts;
  }

  /** Starts the account's client unless one is already running (or logging in). */
  async ensureStarted(account: AccountRow, token: string): Promise<void> {
    const login = { method: account.loginMethod, phone: account.phone };
    const current = this.live.get(account.id);
    if (current) {
      const sameLogin = current.login.method === login.method && current.login.phone === login.phone;
      // Running, or logging in the way the user asks now: nothing to do.
      if (!FINISHED_STATUSES.includes(current.lastStatus) && (current.session.connected || sameLogin)) return;
      await this.stop(account.id, { logout: false });
    }

    const live = { ref: accountRefOf(account), token, lastStatus: 'connecting', fenced: false, login } as LiveAccount;
    live.session = this.deps.factory(account.provider, account.id, this.sinkFor(live), { workerId: this.deps.workerId, fence: token });
    this.live.set(account.id, live);
    await this.deps.accountEvents.status(live, 'connecting', null);
    const storedSession = await this.deps.db.sessions.load(account.id).catch((error: unknown) => {
      this.deps.logger.error({ err: error, accountId: account.id }, 'stored session could not be opened; a new login is needed');
      return null;
    });
    await live.session.start({ method: account.loginMethod, phone: account.phone, storedSession });
  }

  /** Stops a client. With logout the provider session ends and the stored one is deleted. */
  async stop(accountId: string, { logout }: { logout: boolean }): Promise<LiveAccount | undefined> {
    const live = this.live.get(accountId);
    if (!live) return undefined;
    this.live.delete(accountId);
    await live.session.stop({ logout });
    return live;
  }

  /** Graceful hand-off of a partition: clients stop, their sessions stay stored for the next owner. */
  async stopPartition(partition: number): Promise<void> {
    const accounts = [...this.live.values()].filter((l) => l.ref.partition === partition);
    await Promise.all(
      accounts.map((l) =>
        this.stop(l.ref.id, { logout: false }).catch((error: unknown) =>
          this.deps.logger.error({ err: error, accountId: l.ref.id }, 'session stop failed during hand-off'),
        ),
      ),
    );
  }

  /** The lease is lost: stop at once and write nothing more for these accounts. */
  fencePartition(partition: number): void {
    for (const live of [...this.live.values()]) {
      if (live.ref.partition !== partition) continue;
      live.fenced = true;
      this.live.delete(live.ref.id);
      void live.session.stop({ logout: false }).catch(() => undefined);
    }
  }

  private sinkFor(live: LiveAccount): SessionSink {
    const events = this.deps.accountEvents;
    return {
      status: (status, reason) => events.status(live, status, reason),
      qr: (qr, expiresAt) => events.qr(live, qr, expiresAt),
      pairingCode: (code, expiresAt) => events.pairingCode(live, code, expiresAt),
      loginRequired: (step, hint) => events.loginRequired(live, step, hint),
      profile: (profile) => events.profile(live, profile),
      sessionSaved: (session) => events.sessionSaved(live, session),
      sessionDeleted: () => events.sessionDeleted(live),
      messages: (messages) => this.deps.incoming.store(live, messages),
      ack: (externalId, status) => this.deps.receipts.apply(live, externalId, status),
      chats: async () => undefined,
    };
  }
}
