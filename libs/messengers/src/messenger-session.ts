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

/**
 * Where a session reports what happens. Every call is awaited: the session continues only
 * once the worker has saved (and published) what it reported, so nothing is lost in between.
 */
export interface SessionSink {
  status(status: AccountStatus, reason: string | null): Promise<void>;
  qr(qr: string, expiresAt: Date): Promise<void>;
  pairingCode(code: string, expiresAt: Date): Promise<void>;
  loginRequired(step: 'code' | 'password', hint?: string): Promise<void>;
  profile(profile: Profile): Promise<void>;
  sessionSaved(session: Buffer): Promise<void>;
  sessionDeleted(): Promise<void>;
  messages(messages: IncomingMessage[]): Promise<void>;
  ack(externalId: string, status: 'delivered' | 'read'): Promise<void>;
  chats(chats: ChatInfo[]): Promise<void>;
}

/** One live messenger client of one account. */
export interface MessengerSession {
  readonly provider: Provider;
  readonly connected: boolean;
  start(login: LoginStart): Promise<void>;
  submitLoginInput(input: LoginInput): Promise<void>;
  send(message: OutgoingMessage): Promise<SendResult>;
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
