import type { AccountStatus, ChatKind, LoginMethod, Profile, Provider } from '@switchboard/contracts';

export interface LoginStart {
  method: LoginMethod;
  phone: string | null;
  /** The decrypted session saved earlier; with it, no new QR scan is needed. */
  storedSession: Buffer | null;
}

export interface LoginInput {
  step: 'code' | 'password';
  value: string;
}

export interface OutgoingMedia {
  mimeType: string;
  filename: string | null;
  data: Buffer;
}

export interface OutgoingMessage {
  /** Our message id: providers that dedupe by a client id (Telegram random_id) get it. */
  clientMessageId: string;
  /** The provider's address of the chat (phone, @username, WhatsApp id, sandbox name). */
  to: string;
  text: string | null;
  media: OutgoingMedia | null;
}

export interface SendResult {
  externalId: string;
  sentAt: Date;
}

export interface IncomingChat {
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone?: string | null;
}

export interface IncomingMessage {
  externalId: string;
  chat: IncomingChat;
  text: string | null;
  sentAt: Date;
}

export interface ChatInfo extends IncomingChat {
  lastMessageAt: Date | null;
  unreadCount: number;
}

/** Which message a delivery receipt is about: provider message ids are unique per chat only. */
export interface ReceiptRef {
  /** The provider's id of the chat (the `to` the message was sent to). */
  chatId: string;
  externalId: string;
}

/**
 * Where a session reports what happens. Every call is awaited: the session continues only
 * once the worker has saved (and published) what it reported, so nothing is lost in between.
 * The worker refuses (and logs) what a session reports after its lease moved on: a session
 * never needs to know whether it is still the owner.
 */
export interface SessionSink {
  status(status: AccountStatus, reason: string | null): Promise<void>;
  qr(qr: string, expiresAt: Date): Promise<void>;
  pairingCode(code: string, expiresAt: Date): Promise<void>;
  loginRequired(step: 'code' | 'password', hint?: string): Promise<void>;
  profile(profile: Profile): Promise<void>;
  sessionSaved(session: Buffer): Promise<void>;
  /** The provider ended the session (logged out from the phone): the stored one is deleted. */
  sessionDeleted(): Promise<void>;
  messages(messages: IncomingMessage[]): Promise<void>;
  ack(receipt: ReceiptRef, status: 'delivered' | 'read'): Promise<void>;
  chats(chats: ChatInfo[]): Promise<void>;
  /**
   * The client is gone and will not come back by itself (another client of the account took the
   * connection, the connection died): the worker stops this session and, while it still owns
   * the account, starts a new one with backoff. The session reports nothing after this.
   */
  died(reason: string): void;
}

/**
 * One live messenger client of one account. The worker runs one at a time per account, calls
 * it one call at a time (never two at once), and bounds every call with a timeout.
 *
 * The contract:
 * - `start` logs in (a stored session restores without a new QR) and reports through the sink;
 *   it resolves once the client is connected or waits for the user (a QR, a code).
 * - `stop` may come at any time, also while `start` runs: the client then ends as soon as it
 *   can, and reports nothing more. `start` after `stop` does nothing. `stop` twice is harmless.
 * - `send` delivers once per call: the worker never asks twice for a send whose outcome it knows;
 *   it asks `findSent` first when it does not know (a crash, a timeout).
 * - A session never writes anything itself: it reports, the worker stores.
 */
export interface MessengerSession {
  readonly provider: Provider;
  readonly connected: boolean;
  start(login: LoginStart): Promise<void>;
  submitLoginInput(input: LoginInput): Promise<void>;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Whether the provider already has this send (our message id as the client id): the answer
   * to a send whose outcome is unknown. Telegram: the `random_id`; WhatsApp: the chat's recent
   * own messages; sandbox: the outbox. Null: it never went out, send it.
   */
  findSent(message: Pick<OutgoingMessage, 'clientMessageId' | 'to'>): Promise<SendResult | null>;
  listChats(): Promise<ChatInfo[]>;
  /** `logout: false` keeps the session for a later restore; `true` ends it at the provider. */
  stop(options: { logout: boolean }): Promise<void>;
}

/** The provider refused the send for good (no such recipient, blocked, too large): do not retry. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

/** The provider asks to wait (Telegram FLOOD_WAIT_X): retry after exactly `waitMs`. */
export class FloodWaitError extends Error {
  override name = 'FloodWaitError';
  constructor(readonly waitMs: number) {
    super(`the provider asks to wait ${Math.ceil(waitMs / 1000)} s before sending again`);
  }
}

/** The session cannot send right now (not connected): the job waits, it does not fail. */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}
