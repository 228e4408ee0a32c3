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
  type IncomingMessage,
  type LoginInput,
  type LoginStart,
  type MessengerSession,
  type OutgoingMessage,
  type SendResult,
  type SessionSink,
} from '../messenger-session';
import type { SandboxInbound } from './sandbox-network';
import type { SandboxClients } from './sandbox-clients';

export interface SandboxTimings {
  qrTtlMs: number;
  qrMaxRefreshes: number;
  ackDelayMs: number;
}

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
// message sent twice appears twice: the network does not dedupe), and indexed by client id.
const RECORD_SEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
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

  constructor(private readonly options: SandboxSessionOptions) {
    this.k = options.keys.sandbox;
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

  async start(login: LoginStart): Promise<void> {
    if (this.state.step !== 'idle') return;
    if (login.storedSession) {
      const stored = JSON.parse(login.storedSession.toString('utf8')) as StoredSandboxSession;
      const device = await this.options.redis.get(this.k.device(this.options.accountId));
      if (this.stopped) return;
      if (device === stored.deviceToken) {
        await this.becomeConnected(stored.phone);
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

  async submitLoginInput(input: LoginInput): Promise<void> {
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

  /** What the simulated network delivers to this client. */
  async receive(items: readonly SandboxInbound[]): Promise<void> {
    const messages: IncomingMessage[] = [];
    for (const item of items) {
      if (item.type === 'scan') {
        if (this.state.step === 'qr' || this.state.step === 'pairing_code') await this.authenticate(null);
      } else if (item.type === 'logout') {
        // What came before the logout is this client's to store; nothing after it is.
        if (messages.length > 0) await this.sink.messages(messages.splice(0));
        if (this.state.step === 'connected') await this.loggedOutFromPhone();
        return;
      } else {
        messages.push({
          externalId: item.externalId,
          chat: { externalId: item.from, title: item.fromName ?? item.from, kind: 'private' },
          text: item.text,
          sentAt: new Date(item.at),
        });
      }
    }
    if (messages.length > 0) await this.sink.messages(messages);
  }

  private async authenticate(phone: string | null): Promise<void> {
    this.clearLoginTimer();
    const deviceToken = randomUUID();
    await this.options.redis.set(this.k.device(this.options.accountId), deviceToken);
    if (this.stopped) return;
    const stored: StoredSandboxSession = { deviceToken, phone };
    await this.sink.sessionSaved(Buffer.from(JSON.stringify(stored)));
    await this.becomeConnected(phone);
  }

  /** Connects this client to the network (the newer client wins), then reports it ready. */
  private async becomeConnected(phone: string | null): Promise<void> {
    if (this.stopped) return;
    const { accountId, owner } = this.options;
    const client = await this.options.clients.connect(accountId, { workerId: owner.workerId, fence: owner.fence }, (reason) => this.lost(reason));
    // Stopped while connecting: leave the network again, report nothing.
    if (this.stopped) {
      await this.options.clients.disconnect(accountId, client);
      return;
    }
    this.state = { step: 'connected', client };
    await this.sink.profile({
      id: `sandbox:${this.options.accountId}`,
      name: 'Sandbox User',
      phone,
      username: `sandbox_${this.options.accountId.slice(0, 8)}`,
    });
    await this.sink.status('connected', null);
    await this.drainMailbox();
  }

  /** Messages the network held while this account was offline (catch-up after a restore). */
  private async drainMailbox(): Promise<void> {
    const key = this.k.mailbox(this.options.accountId);
    for (;;) {
      const raw = await this.options.redis.lrange(key, 0, 499);
      if (raw.length === 0) return;
      await this.receive(raw.map((entry) => JSON.parse(entry) as SandboxInbound));
      if (this.stopped) return;
      // Trimmed only after the sink stored them: a crash in between redelivers, and the
      // unique key (account, provider message id) drops the duplicates.
      await this.options.redis.ltrim(key, raw.length, -1);
    }
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
    const item: SandboxOutboxItem = { externalId, to: message.to, text: message.text, at: sentAt.toISOString(), sentBy: this.options.owner };
    const { accountId } = this.options;
    const recorded = await this.options.redis.eval(
      RECORD_SEND,
      3,
      this.k.client(accountId),
      this.k.outbox(accountId),
      this.k.sentIndex(accountId),
      state.client,
      message.clientMessageId,
      JSON.stringify(item),
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

  async listChats(): Promise<ChatInfo[]> {
    return [];
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
