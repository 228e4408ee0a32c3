import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  SANDBOX_FAIL_ONCE,
  SANDBOX_FAIL_PERMANENT,
  SANDBOX_LOGIN_CODE,
  SANDBOX_PASSWORD,
  type SandboxOutboxItem,
} from '@switchboard/contracts';
import type { RedisKeys } from '@switchboard/queue';
import {
  NotConnectedError,
  PermanentSendError,
  type ChatInfo,
  type LoginInput,
  type LoginStart,
  type MessageRef,
  type MessengerSession,
  type OutgoingMessage,
  type ResolvedAddress,
  type SendResult,
  type SessionSink,
} from '../messenger-session';
import { sandboxAccountPerson } from './sandbox-account';
import type { SandboxClients } from './sandbox-clients';
import { SandboxDirectory, type SandboxIndexedMessage } from './sandbox-directory';
import { isHistoryEvent, type SandboxEvent, type SandboxInbound } from './sandbox-events';
import { SandboxHistory } from './sandbox-history';
import { SandboxReporter } from './sandbox-reporter';

export interface SandboxTimings {
  qrTtlMs: number;
  qrMaxRefreshes: number;
  ackDelayMs: number;
  /** After a sink call rejected, the catch-up is tried again after this long (default 1000). */
  catchUpRetryMs?: number;
}

/** As on WhatsApp: a message can be edited for 15 minutes after it was sent. */
export const SANDBOX_EDIT_WINDOW_MS = 15 * 60_000;

export interface SandboxSessionOptions {
  accountId: string;
  /** Recorded with each delivery, so tests can prove a fenced worker never sends again. */
  owner: { workerId: string; fence: string };
  redis: Redis;
  keys: RedisKeys;
  sink: SessionSink;
  timings: SandboxTimings;
  /** The network's connected clients: one per account, the newer one wins. */
  clients: SandboxClients;
  /** Failures of background work (QR refresh, acks): reported, never dropped silently. */
  onError: (error: unknown) => void;
  /** Called once when the session stops (or is disconnected by the network). */
  onStopped?: () => void;
}

type LoginState =
  | { step: 'idle' }
  | { step: 'qr'; refreshes: number; timer: NodeJS.Timeout }
  | { step: 'pairing_code'; timer: NodeJS.Timeout }
  | { step: 'code'; phone: string }
  | { step: 'password'; phone: string }
  | { step: 'connected'; client: string }
  | { step: 'stopped' };

interface StoredSandboxSession {
  deviceToken: string;
  phone: string | null;
}

// One round trip: only the account's connected client can send. Every delivery is recorded (a
// message sent twice appears twice: the network does not dedupe), indexed by client id, and
// remembered as the account's message in its chat (the chat's newest message).
const RECORD_SEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])
local raw = redis.call('HGET', KEYS[5], ARGV[6])
local chat
if raw then chat = cjson.decode(raw) else chat = { title = ARGV[6], kind = 'private', phone = cjson.null } end
chat.lastMessageAt = ARGV[7]
chat.lastExternalId = ARGV[4]
redis.call('HSET', KEYS[5], ARGV[6], cjson.encode(chat))
return 1`;
// An action of the account (edit, revoke, react, read): recorded only for its connected client.
const RECORD_ACTION = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;

const LOGGED_OUT_FROM_PHONE = 'The session was ended from the phone; connect again to log in.';

/** A transient network fault: the job retries. */
class SandboxTransientError extends Error {
  override name = 'SandboxTransientError';
}

/**
 * The simulated messenger's client: the same life as a real one — a QR that expires and
 * refreshes, pairing codes, phone login with code and 2FA, a stored session that restores
 * without a scan, sends recorded by the network, acks `delivered` then `read`.
 */
export class SandboxSession implements MessengerSession {
  readonly provider = 'sandbox' as const;
  private state: LoginState = { step: 'idle' };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly k: RedisKeys['sandbox'];
  private readonly directory: SandboxDirectory;
  private readonly history: SandboxHistory;
  private readonly reporter: SandboxReporter;
  /** Login, deliveries and catch-up run one at a time, in order: the cursor only moves forward. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A report failed: live events wait in the history until a catch-up delivers them in order. */
  private behind = false;
  private retryScheduled = false;

  constructor(private readonly options: SandboxSessionOptions) {
    this.k = options.keys.sandbox;
    this.directory = new SandboxDirectory(options.redis, options.keys);
    this.history = new SandboxHistory(options.redis, options.keys);
    this.reporter = new SandboxReporter({
      accountId: options.accountId,
      redis: options.redis,
      keys: options.keys,
      sink: options.sink,
      history: this.history,
      stopped: () => this.stopped,
    });
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  get connected(): boolean {
    return this.state.step === 'connected';
  }

  private get sink(): SessionSink {
    return this.options.sink;
  }

  private get stopped(): boolean {
    return this.state.step === 'stopped';
  }

  start(login: LoginStart): Promise<void> {
    return this.serial(() => this.startNow(login));
  }

  private async startNow(login: LoginStart): Promise<void> {
    if (this.state.step !== 'idle') return;
    if (login.storedSession) {
      const stored = JSON.parse(login.storedSession.toString('utf8')) as StoredSandboxSession;
      const device = await this.options.redis.get(this.k.device(this.options.accountId));
      if (this.stopped) return;
      if (device === stored.deviceToken) {
        // A restore: everything after where the last client stopped reading (null: all of it).
        this.reporter.startAt(login.catchUpCursor);
        await this.becomeConnected(stored.phone, false);
        return;
      }
      // The network no longer knows this device: logged out from the phone.
      await this.sink.sessionDeleted();
      await this.sink.status('logged_out', LOGGED_OUT_FROM_PHONE);
      this.state = { step: 'stopped' };
      return;
    }
    if (login.method === 'qr') return this.showQr(0);
    if (login.method === 'pairing_code') return this.showPairingCode();
    if (!login.phone) {
      await this.sink.status('failed', 'A phone number is needed for phone login.');
      return;
    }
    this.state = { step: 'code', phone: login.phone };
    await this.sink.status('code_required', null);
    await this.sink.loginRequired('code', `The code was sent to ${login.phone}.`);
  }

  private async showQr(refreshes: number): Promise<void> {
    const expiresAt = new Date(Date.now() + this.options.timings.qrTtlMs);
    const qr = `sandbox:${this.options.accountId}:${randomBytes(12).toString('base64url')}`;
    const timer = this.later(this.options.timings.qrTtlMs, async () => {
      if (this.state.step !== 'qr') return;
      if (this.state.refreshes >= this.options.timings.qrMaxRefreshes) {
        this.state = { step: 'stopped' };
        await this.sink.status('failed', 'The QR code was not scanned in time; connect again for a new one.');
        return;
      }
      await this.showQr(this.state.refreshes + 1);
    });
    this.state = { step: 'qr', refreshes, timer };
    // Status first: whoever sees the QR can scan it, and the account already says `qr`.
    if (refreshes === 0) await this.sink.status('qr', null);
    if (this.stopped) return;
    await this.sink.qr(qr, expiresAt);
  }

  private async showPairingCode(): Promise<void> {
    const expiresAt = new Date(Date.now() + this.options.timings.qrTtlMs);
    const code = randomBytes(4).toString('hex').toUpperCase();
    const timer = this.later(this.options.timings.qrTtlMs, async () => {
      if (this.state.step !== 'pairing_code') return;
      this.state = { step: 'stopped' };
      await this.sink.status('failed', 'The pairing code was not confirmed in time; connect again for a new one.');
    });
    this.state = { step: 'pairing_code', timer };
    await this.sink.status('pairing_code', null);
    if (this.stopped) return;
    await this.sink.pairingCode(code, expiresAt);
  }

  submitLoginInput(input: LoginInput): Promise<void> {
    return this.serial(() => this.submitLoginInputNow(input));
  }

  private async submitLoginInputNow(input: LoginInput): Promise<void> {
    const state = this.state;
    if (input.step === 'code' && state.step === 'code') {
      if (input.value !== SANDBOX_LOGIN_CODE) {
        await this.sink.status('code_required', 'The code is wrong; try again.');
        await this.sink.loginRequired('code', 'The code is wrong; try again.');
        return;
      }
      if (state.phone.endsWith('0')) {
        this.state = { step: 'password', phone: state.phone };
        await this.sink.status('password_required', null);
        await this.sink.loginRequired('password', 'Two-step verification is on.');
        return;
      }
      return this.authenticate(state.phone);
    }
    if (input.step === 'password' && state.step === 'password') {
      if (input.value !== SANDBOX_PASSWORD) {
        await this.sink.status('password_required', 'The password is wrong; try again.');
        await this.sink.loginRequired('password', 'The password is wrong; try again.');
        return;
      }
      return this.authenticate(state.phone);
    }
    // Input for a step we are not at (it raced a QR refresh or arrived twice): nothing to do.
  }

  /** What the simulated network delivers to this client (in the order it was sent). */
  receive(items: readonly SandboxInbound[]): Promise<void> {
    return this.serial(() => this.receiveNow(items));
  }

  private async receiveNow(items: readonly SandboxInbound[]): Promise<void> {
    const events: (SandboxEvent & { historyId?: string })[] = [];
    for (const item of items) {
      if (isHistoryEvent(item)) {
        events.push(item);
      } else if (item.type === 'scan') {
        if (this.state.step === 'qr' || this.state.step === 'pairing_code') await this.authenticate(null);
      } else {
        // What came before the logout is this client's to store; nothing after it is.
        await this.reportLive(events.splice(0));
        if (this.state.step === 'connected') await this.loggedOutFromPhone();
        return;
      }
    }
    await this.reportLive(events);
  }

  private async reportLive(events: (SandboxEvent & { historyId?: string })[]): Promise<void> {
    if (events.length === 0 || this.state.step !== 'connected') return;
    // Behind after a failure: the history has these events, after the ones that failed.
    if (this.behind && events.every((e) => e.historyId)) return this.catchUp();
    try {
      await this.reporter.report(events);
    } catch (error) {
      this.fellBehind(error);
    }
  }

  /** Reports what the history holds after the cursor; on a failure, tries again later. */
  private async catchUp(): Promise<void> {
    if (this.state.step !== 'connected') return;
    try {
      await this.reporter.catchUp();
      this.behind = false;
    } catch (error) {
      this.fellBehind(error);
    }
  }

  private fellBehind(error: unknown): void {
    if (this.stopped) return;
    this.behind = true;
    this.options.onError(error);
    if (this.retryScheduled) return;
    this.retryScheduled = true;
    this.later(this.options.timings.catchUpRetryMs ?? 1_000, () => {
      this.retryScheduled = false;
      return this.serial(() => this.catchUp());
    });
  }

  private async authenticate(phone: string | null): Promise<void> {
    this.clearLoginTimer();
    const deviceToken = randomUUID();
    await this.options.redis.set(this.k.device(this.options.accountId), deviceToken);
    if (this.stopped) return;
    const stored: StoredSandboxSession = { deviceToken, phone };
    // A fresh login starts at the history's end: what the account received before this device
    // was linked is not replayed (as a newly linked WhatsApp device shows no old messages).
    this.reporter.startAt(await this.history.end(this.options.accountId));
    if (this.stopped) return;
    await this.sink.sessionSaved(Buffer.from(JSON.stringify(stored)));
    await this.becomeConnected(phone, true);
  }

  /** Connects this client to the network (the newer client wins), then reports it ready. */
  private async becomeConnected(phone: string | null, fresh: boolean): Promise<void> {
    if (this.stopped) return;
    const { accountId, owner } = this.options;
    const client = await this.options.clients.connect(accountId, { workerId: owner.workerId, fence: owner.fence }, (reason) => this.lost(reason));
    // Stopped while connecting: leave the network again, report nothing.
    if (this.stopped) {
      await this.options.clients.disconnect(accountId, client);
      return;
    }
    this.state = { step: 'connected', client };
    const me = sandboxAccountPerson(this.options.accountId, phone);
    await this.sink.profile({ id: me.id, name: me.name, phone, username: `sandbox_${this.options.accountId.slice(0, 8)}` });
    await this.sink.status('connected', null);
    if (this.stopped) return;
    await this.sink.chats(await this.listChats());
    if (fresh) await this.reporter.saveCursor();
    // Also after a fresh login: what arrived between the history's end was read and now.
    await this.catchUp();
  }

  /** The phone ended this device: the stored session is useless now, and the user must log in again. */
  private async loggedOutFromPhone(): Promise<void> {
    const state = this.state;
    this.halt();
    if (state.step === 'connected') await this.options.clients.disconnect(this.options.accountId, state.client);
    await this.sink.sessionDeleted();
    await this.sink.status('logged_out', LOGGED_OUT_FROM_PHONE);
  }

  /** The network disconnected this client: it is gone, and says so once. */
  private lost(reason: string): void {
    if (this.state.step !== 'connected') return;
    this.halt();
    this.sink.died(reason);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const state = this.state;
    if (state.step !== 'connected') throw new NotConnectedError('the sandbox session is not connected');
    if (message.to === SANDBOX_FAIL_PERMANENT) {
      throw new PermanentSendError(`The sandbox network has no contact "${SANDBOX_FAIL_PERMANENT}": the message cannot be delivered.`);
    }
    if (message.to === SANDBOX_FAIL_ONCE) {
      const first = await this.options.redis.set(this.k.failedOnce(message.clientMessageId), '1', 'EX', 86_400, 'NX');
      if (first === 'OK') throw new SandboxTransientError('The sandbox network dropped the connection (fail-once); retrying.');
    }
    const sentAt = new Date();
    const externalId = `sbx-out-${message.clientMessageId}`;
    const item: SandboxOutboxItem = {
      externalId,
      to: message.to,
      text: message.text,
      replyTo: message.replyTo,
      media: message.media ? { mimeType: message.media.mimeType, filename: message.media.filename, size: message.media.data.length } : null,
      at: sentAt.toISOString(),
      sentBy: this.options.owner,
    };
    const indexed: SandboxIndexedMessage = { chatId: message.to, from: null, at: item.at };
    const { accountId } = this.options;
    const recorded = await this.options.redis.eval(
      RECORD_SEND,
      5,
      this.k.client(accountId),
      this.k.outbox(accountId),
      this.k.sentIndex(accountId),
      this.k.messages(accountId),
      this.k.chats(accountId),
      state.client,
      message.clientMessageId,
      JSON.stringify(item),
      externalId,
      JSON.stringify(indexed),
      message.to,
      item.at,
    );
    if (recorded !== 1) {
      // The network no longer knows this client: it was disconnected (another client, or lapsed).
      throw new NotConnectedError('the sandbox client was disconnected by the network');
    }
    this.scheduleAcks(message.to, externalId);
    return { externalId, sentAt };
  }

  async findSent(message: Pick<OutgoingMessage, 'clientMessageId' | 'to'>): Promise<SendResult | null> {
    const raw = await this.options.redis.hget(this.k.sentIndex(this.options.accountId), message.clientMessageId);
    if (!raw) return null;
    const item = JSON.parse(raw) as SandboxOutboxItem;
    return { externalId: item.externalId, sentAt: new Date(item.at) };
  }

  private scheduleAcks(chatId: string, externalId: string): void {
    const delay = this.options.timings.ackDelayMs;
    this.later(delay, async () => {
      await this.sink.ack({ chatId, externalId }, 'delivered');
      this.later(delay, () => this.sink.ack({ chatId, externalId }, 'read'));
    });
  }

  /**
   * One person is one chat: `alice` and `@alice` are `alice`, a phone the network knows leads to
   * its contact, a group id to the group (see SandboxDirectory.resolve). The simulated network
   * knows every name, so this never answers null; `fail-permanent` resolves and its send fails.
   */
  resolve(address: string): Promise<ResolvedAddress | null> {
    return this.directory.resolve(this.options.accountId, address);
  }

  async edit(ref: MessageRef, text: string): Promise<{ editedAt: Date }> {
    const message = await this.ownMessage(ref, 'edit');
    if (Date.now() - new Date(message.at).getTime() > SANDBOX_EDIT_WINDOW_MS) throw new PermanentSendError('The edit window of this message has passed');
    const editedAt = new Date();
    await this.recordAction({ kind: 'edit', externalId: ref.externalId, to: ref.chatId, text, at: editedAt.toISOString() });
    return { editedAt };
  }

  /** A delete for the account only is local to its clients: the network records nothing. */
  async delete(ref: MessageRef, { forEveryone }: { forEveryone: boolean }): Promise<void> {
    this.connectedClient();
    if (!forEveryone) return;
    await this.ownMessage(ref, 'delete for everyone');
    await this.recordAction({ kind: 'revoke', externalId: ref.externalId, to: ref.chatId, text: null, at: new Date().toISOString() });
  }

  async react(ref: MessageRef, emoji: string): Promise<void> {
    this.connectedClient();
    await this.knownMessage(ref);
    await this.recordAction({ kind: 'react', externalId: ref.externalId, to: ref.chatId, text: null, emoji, at: new Date().toISOString() });
  }

  /** Recorded with the chat's newest message as `externalId` (empty when the network knows none). */
  async markRead(chatId: string): Promise<void> {
    this.connectedClient();
    const chat = await this.directory.chat(this.options.accountId, chatId);
    await this.recordAction({ kind: 'read', externalId: chat?.lastExternalId ?? '', to: chatId, text: null, at: new Date().toISOString() });
    await this.directory.markRead(this.options.accountId, chatId);
  }

  private connectedClient(): string {
    if (this.state.step !== 'connected') throw new NotConnectedError('the sandbox session is not connected');
    return this.state.client;
  }

  private async knownMessage(ref: MessageRef): Promise<SandboxIndexedMessage> {
    const message = await this.directory.message(this.options.accountId, ref.externalId);
    if (!message || message.chatId !== ref.chatId) throw new PermanentSendError(`The sandbox network has no message "${ref.externalId}" in the chat "${ref.chatId}".`);
    return message;
  }

  private async ownMessage(ref: MessageRef, action: string): Promise<SandboxIndexedMessage> {
    this.connectedClient();
    const message = await this.knownMessage(ref);
    if (message.from !== null) throw new PermanentSendError(`Only the account's own messages can be ${action === 'edit' ? 'edited' : 'deleted for everyone'}.`);
    return message;
  }

  private async recordAction(item: SandboxOutboxItem): Promise<void> {
    const client = this.connectedClient();
    const { accountId } = this.options;
    const recorded = await this.options.redis.eval(RECORD_ACTION, 2, this.k.client(accountId), this.k.outbox(accountId), client, JSON.stringify({ ...item, sentBy: this.options.owner }));
    if (recorded !== 1) throw new NotConnectedError('the sandbox client was disconnected by the network');
  }

  async listChats(): Promise<ChatInfo[]> {
    return this.directory.chats(this.options.accountId);
  }

  async stop({ logout }: { logout: boolean }): Promise<void> {
    const state = this.state;
    this.halt();
    if (state.step === 'connected') await this.options.clients.disconnect(this.options.accountId, state.client);
    if (logout) await this.options.redis.del(this.k.device(this.options.accountId));
  }

  /** Stops every timer; from now on the session reports nothing. */
  private halt(): void {
    this.clearLoginTimer();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.state.step !== 'stopped') this.options.onStopped?.();
    this.state = { step: 'stopped' };
  }

  private clearLoginTimer(): void {
    if (this.state.step === 'qr' || this.state.step === 'pairing_code') clearTimeout(this.state.timer);
  }

  private later(ms: number, run: () => Promise<void>): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.state.step === 'stopped') return;
      run().catch(this.options.onError);
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}
