import type { AccountStatus } from '@switchboard/contracts';
import type { Logger } from '@switchboard/config';
import type { AccountRow, Database } from '@switchboard/db';
import type { RedisFence } from '@switchboard/events';
import {
  NotConnectedError,
  type ChatInfo,
  type LoginInput,
  type MessageRef,
  type Messengers,
  type MessengerSession,
  type OutgoingMessage,
  type ResolvedAddress,
  type SendResult,
  type SessionSink,
} from '@switchboard/messengers';
import type { AccountEventsService } from '../accounts/account-events.service';
import { FINISHED_STATUSES, type AccountRef, type LiveAccount } from '../accounts/live-account';
import type { DeliveryReceiptService } from '../messages/delivery-receipt.service';
import type { IncomingMessageService } from '../messages/incoming-message.service';
import type { MessageUpdatesService } from '../messages/message-updates.service';
import { LeaseLostError } from '../ownership/lease-lost-error';
import type { ClientTimeouts } from './client-timeouts';
import { CallTimeoutError, withTimeout } from './with-timeout';

export interface AccountActorDeps {
  db: Database;
  messengers: Messengers;
  accountEvents: AccountEventsService;
  incoming: IncomingMessageService;
  receipts: DeliveryReceiptService;
  updates: MessageUpdatesService;
  /** Whether this worker still certainly holds the partition's lease under `token`. */
  leaseHolds(partition: number, token: string): boolean;
  timeouts: ClientTimeouts;
  restart: { backoffMs: number; maxFailures: number };
  workerId: string;
  logger: Logger;
  /** The account's client connected: sends waiting for it may go now. */
  onConnected(ref: AccountRef): void;
}

/** A report of a client that was stopped or replaced: the messages in it were not stored. */
export class StaleClientError extends Error {
  override name = 'StaleClientError';
}

const MAX_RESTART_DELAY_MS = 60_000;
const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The one live client of one account in this worker. Start, login input, send, lookups and stop
 * run one at a time through it, under the partition lease (fencing token) it was made for: it
 * checks the lease before it starts a client and before each call, a client made while the
 * lease was lost is stopped at once, and everything the client reports is written fenced and
 * only while that client is the current one. A client that hangs or dies is destroyed and made
 * again with backoff (`reconnecting`); after `maxFailures` in a row the account is `failed`.
 */
export class AccountActor implements LiveAccount {
  lastStatus: AccountStatus = 'disconnected';
  private session: MessengerSession | null = null;
  /** Bumped whenever the client is replaced or stopped: reports of an older one are dropped. */
  private generation = 0;
  private account: AccountRow | null = null;
  private chain: Promise<unknown>;
  private lostLease = false;
  private ended = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly ref: AccountRef,
    readonly token: string,
    readonly redisFence: RedisFence,
    private readonly deps: AccountActorDeps,
    /** The previous actor of the account finishing its stop: never two clients at once. */
    after: Promise<unknown> = Promise.resolve(),
  ) {
    this.chain = after.catch(() => undefined);
  }

  get fenced(): boolean {
    return this.lostLease;
  }

  /** Stopped for good (gracefully or fenced): a new actor runs the account from now on. */
  get isEnded(): boolean {
    return this.ended;
  }

  get connected(): boolean {
    return !this.ended && this.session?.connected === true;
  }

  /** Resolves once everything queued so far has run (a stop included). */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** Starts a client, unless one runs (or logs in) the way the account asks for now. */
  ensureStarted(account: AccountRow): Promise<void> {
    return this.run(async () => {
      if (this.ended) return;
      const previous = this.account;
      const sameLogin = previous?.loginMethod === account.loginMethod && previous?.phone === account.phone;
      if (this.session && !FINISHED_STATUSES.includes(this.lastStatus) && (this.session.connected || sameLogin)) return;
      this.account = account;
      this.failures = 0;
      this.cancelRestart();
      await this.stopClient(false);
      await this.startClient();
    });
  }

  /** Hands a login step (a code, a password) to the client; false when no client is logging in. */
  loginInput(input: LoginInput): Promise<boolean> {
    return this.run(async () => {
      if (this.ended || !this.session) return false;
      await this.call((session) => session.submitLoginInput(input), this.deps.timeouts.startMs, 'login step', { connected: false });
      return true;
    });
  }

  send(message: OutgoingMessage): Promise<SendResult> {
    return this.run(() => this.call((session) => session.send(message), this.deps.timeouts.sendMs, 'send'));
  }

  findSent(message: Pick<OutgoingMessage, 'clientMessageId' | 'to'>): Promise<SendResult | null> {
    return this.run(() => this.call((session) => session.findSent(message), this.deps.timeouts.sendMs, 'send look-up'));
  }

  resolve(address: string): Promise<ResolvedAddress | null> {
    return this.run(() => this.call((session) => session.resolve(address), this.deps.timeouts.sendMs, 'address look-up'));
  }

  edit(ref: MessageRef, text: string): Promise<{ editedAt: Date }> {
    return this.run(() => this.call((session) => session.edit(ref, text), this.deps.timeouts.sendMs, 'edit'));
  }

  delete(ref: MessageRef, options: { forEveryone: boolean }): Promise<void> {
    return this.run(() => this.call((session) => session.delete(ref, options), this.deps.timeouts.sendMs, 'delete'));
  }

  react(ref: MessageRef, emoji: string): Promise<void> {
    return this.run(() => this.call((session) => session.react(ref, emoji), this.deps.timeouts.sendMs, 'reaction'));
  }

  markRead(chatId: string): Promise<void> {
    return this.run(() => this.call((session) => session.markRead(chatId), this.deps.timeouts.sendMs, 'mark-read'));
  }

  listChats(): Promise<ChatInfo[]> {
    return this.run(() => this.call((session) => session.listChats(), this.deps.timeouts.sendMs, 'chat list'));
  }

  /**
   * Stops the client for good; with logout the provider ends the session. It does not wait in
   * line: a client may be stopped while it starts (the session contract allows it), so a hung
   * start does not hold up a hand-off. A later actor of the account still waits for it (`idle`).
   */
  stop({ logout }: { logout: boolean }): Promise<void> {
    this.ended = true;
    this.cancelRestart();
    const stopping = this.stopClient(logout);
    this.chain = Promise.all([this.chain, stopping]);
    return stopping;
  }

  /** The lease is lost: stop at once, report and write nothing more. */
  fence(): void {
    this.lostLease = true;
    this.ended = true;
    this.cancelRestart();
    const session = this.session;
    this.session = null;
    this.generation += 1;
    if (!session) return;
    const stopped = withTimeout(session.stop({ logout: false }), this.deps.timeouts.stopMs, this.what('stop')).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, accountId: this.ref.id }, 'fenced client did not stop cleanly'),
    );
    this.chain = Promise.all([this.chain, stopped]);
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.chain.then(op);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private checkLease(): void {
    if (this.lostLease || !this.deps.leaseHolds(this.ref.partition, this.token)) {
      throw new LeaseLostError(`This worker no longer holds the lease of partition ${this.ref.partition}.`);
    }
  }

  /**
   * A call to the client (connected, unless `connected: false`), bounded by a timeout; a client
   * that hangs is replaced.
   */
  private async call<T>(op: (session: MessengerSession) => Promise<T>, timeoutMs: number, what: string, { connected = true } = {}): Promise<T> {
    this.checkLease();
    const session = this.session;
    if (this.ended || !session || (connected && !session.connected)) {
      throw new NotConnectedError(`The ${this.ref.provider} client of this account is not connected.`);
    }
    try {
      return await withTimeout(op(session), timeoutMs, this.what(what));
    } catch (error) {
      if (error instanceof CallTimeoutError && this.session === session) {
        await this.stopClient(false);
        await this.clientFailed(error.message);
      }
      throw error;
    }
  }

  private async startClient(): Promise<void> {
    const account = this.account;
    if (!account || this.ended) return;
    this.checkLease();
    this.lastStatus = 'connecting';
    await this.deps.accountEvents.status(this, 'connecting', null);
    const storedSession = await this.deps.db.sessions.load(account.id).catch((error: unknown) => {
      this.deps.logger.error({ err: error, accountId: account.id }, 'stored session could not be opened; a new login is needed');
      return null;
    });
    const catchUpCursor = storedSession ? await this.deps.db.sessions.catchUpCursor(account.id) : null;
    // The lease may have moved while we read: never make a client on a lease we lost.
    this.checkLease();
    if (this.ended) return;
    const generation = ++this.generation;
    const session = this.deps.messengers.create(account.provider, account.id, this.sinkFor(generation), { workerId: this.deps.workerId, fence: this.token });
    this.session = session;
    try {
      await withTimeout(session.start({ method: account.loginMethod, phone: account.phone, storedSession, catchUpCursor }), this.deps.timeouts.startMs, this.what('start'));
    } catch (error) {
      if (this.session !== session) return;
      this.deps.logger.warn({ err: error, accountId: account.id }, 'client failed to start');
      await this.stopClient(false);
      await this.clientFailed(readable(error));
    }
  }

  private async stopClient(logout: boolean): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.generation += 1;
    await withTimeout(session.stop({ logout }), this.deps.timeouts.stopMs, this.what('stop')).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, accountId: this.ref.id }, 'client did not stop cleanly'),
    );
  }

  /** A client died or failed: try again later, or give up with the reason after too many. */
  private async clientFailed(reason: string): Promise<void> {
    if (this.ended) return;
    this.failures += 1;
    if (this.failures >= this.deps.restart.maxFailures) {
      this.lastStatus = 'failed';
      await this.deps.accountEvents.status(this, 'failed', `The client failed ${this.failures} times in a row; the last time: ${reason}`);
      return;
    }
    this.lastStatus = 'reconnecting';
    await this.deps.accountEvents.status(this, 'reconnecting', reason);
    const delay = Math.min(MAX_RESTART_DELAY_MS, this.deps.restart.backoffMs * 2 ** (this.failures - 1));
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.run(async () => {
        if (this.ended || this.session) return;
        await this.startClient();
      }).catch((error: unknown) => this.deps.logger.warn({ err: error, accountId: this.ref.id }, 'client restart failed'));
    }, delay);
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private what(call: string): string {
    return `The ${this.ref.provider} client's ${call}`;
  }

  /** What the client of `generation` reports, kept only while it is the current client. */
  private sinkFor(generation: number): SessionSink {
    const { accountEvents, incoming, receipts, updates } = this.deps;
    const current = () => generation === this.generation && !this.ended && !this.lostLease;
    return {
      status: async (status, reason) => {
        if (!current()) return;
        this.lastStatus = status;
        await accountEvents.status(this, status, reason);
        if (status === 'connected') {
          this.failures = 0;
          this.deps.onConnected(this.ref);
        }
      },
      qr: async (qr, expiresAt) => {
        if (current()) await accountEvents.qr(this, qr, expiresAt);
      },
      pairingCode: async (code, expiresAt) => {
        if (current()) await accountEvents.pairingCode(this, code, expiresAt);
      },
      loginRequired: async (step, hint) => {
        if (current()) await accountEvents.loginRequired(this, step, hint);
      },
      profile: async (profile) => {
        if (current()) await accountEvents.profile(this, profile);
      },
      sessionSaved: async (session) => {
        if (current()) await accountEvents.sessionSaved(this, session);
      },
      sessionDeleted: async () => {
        if (current()) await accountEvents.sessionDeleted(this);
      },
      messages: async (messages) => {
        // Refused, not dropped: the network keeps them for the next client.
        if (!current()) throw new StaleClientError('This client was stopped; its messages were not stored.');
        await incoming.store(this, messages);
      },
      edited: async (ref, text, at) => {
        if (current()) await updates.edited(this, ref, text, at);
      },
      revoked: async (ref, at) => {
        if (current()) await updates.revoked(this, ref, at);
      },
      reacted: async (ref, reaction) => {
        if (current()) await updates.reacted(this, ref, reaction);
      },
      chatRead: async (chatId) => {
        if (current()) await updates.chatRead(this, chatId);
      },
      ack: async (receipt, status) => {
        if (current()) await receipts.apply(this, receipt, status);
      },
      chats: async (chats) => {
        if (current()) await updates.chats(this, chats);
      },
      catchUpCursor: async (cursor) => {
        if (current()) await updates.catchUpCursor(this, cursor);
      },
      died: (reason) => {
        if (!current()) return;
        this.run(async () => {
          if (generation !== this.generation || this.ended) return;
          this.deps.logger.warn({ accountId: this.ref.id, reason }, 'client died; it will be made again');
          await this.stopClient(false);
          await this.clientFailed(reason);
        }).catch((error: unknown) => this.deps.logger.warn({ err: error, accountId: this.ref.id }, 'handling a dead client failed'));
      },
    };
  }
}
