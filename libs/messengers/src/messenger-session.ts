import type { AccountStatus, ChatKind, LoginMethod, MessageType, Profile, Provider } from '@switchboard/contracts';

export interface LoginStart {
  method: LoginMethod;
  phone: string | null;
  /** The decrypted session saved earlier; with it, no new QR scan is needed. */
  storedSession: Buffer | null;
  /**
   * Where the last client of this account stopped reading (what the session reported through
   * `catchUpCursor`), or null. After a restore the session fetches everything after it.
   */
  catchUpCursor: string | null;
}

export interface LoginInput {
  step: 'code' | 'password';
  value: string;
}

/** A message of a chat, as the provider knows it: provider message ids are unique per chat only. */
export interface MessageRef {
  /** The provider's canonical id of the chat. */
  chatId: string;
  externalId: string;
}
/** Kept for the receipts' wording: a receipt is about one message. */
export type ReceiptRef = MessageRef;

/** Someone on the network: a contact, a group member, or the account itself. */
export interface Person {
  id: string;
  name: string | null;
  phone: string | null;
}

export interface OutgoingMedia {
  mimeType: string;
  filename: string | null;
  data: Buffer;
}

export interface OutgoingMessage {
  /** Our message id: providers that dedupe by a client id (Telegram random_id) get it. */
  clientMessageId: string;
  /** The provider's canonical id of the chat (what `resolve` answered). */
  to: string;
  text: string | null;
  media: OutgoingMedia | null;
  /** The provider id of the message this one answers (in the same chat), or null. */
  replyTo: string | null;
}

export interface SendResult {
  externalId: string;
  sentAt: Date;
}

/** Where an address (a phone, `@username`, a numeric id, a WhatsApp id) leads. */
export interface ResolvedAddress {
  /** The provider's canonical id of the chat: one person is one chat, whatever address was used. */
  chatId: string;
  kind: ChatKind;
  title: string | null;
  /** The person's phone, when the provider tells it. */
  phone: string | null;
}

export interface IncomingChat {
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone?: string | null;
}

/** Media of an incoming message: its metadata now, its bytes on demand. */
export interface IncomingMedia {
  mimeType: string;
  filename: string | null;
  /** The size the provider announces, when it does (a download larger than the limit is skipped). */
  size: number | null;
  /** Fetches the bytes from the provider (WhatsApp drops them after a few weeks: fetch on arrival). */
  download(): Promise<Buffer>;
}

export interface IncomingMessage {
  externalId: string;
  chat: IncomingChat;
  /**
   * `contact`: written to the account. `device`: written by the account itself from its phone or
   * another client. A session never reports the worker's own sends (the provider's echo of
   * them) as either: it recognises them by the ids `send` returned.
   */
  origin: 'contact' | 'device';
  /** Who wrote it (in a group, the member); null when the provider does not say. */
  sender: Person | null;
  type: MessageType;
  /** The text, or the caption of a media message. */
  text: string | null;
  media: IncomingMedia | null;
  /** The provider id of the message it answers (in the same chat). */
  replyTo: string | null;
  forwarded: boolean;
  sentAt: Date;
}

export interface ChatInfo extends IncomingChat {
  lastMessageAt: Date | null;
  unreadCount: number;
}

export interface Reaction {
  /** An empty emoji removes the sender's reaction. */
  emoji: string;
  sender: Person;
  at: Date;
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
  /**
   * Messages that arrived, live or caught up after a restore. Stored once each (the unique key
   * decides), so a session may report a message twice. Rejects when they were not stored: the
   * session must then not move its catch-up cursor past them.
   */
  messages(messages: IncomingMessage[]): Promise<void>;
  /** A message was edited (by a contact, or by the account elsewhere). */
  edited(ref: MessageRef, text: string | null, at: Date): Promise<void>;
  /** A message was deleted for everyone: its row stays, with text and media gone. */
  revoked(ref: MessageRef, at: Date): Promise<void>;
  reacted(ref: MessageRef, reaction: Reaction): Promise<void>;
  /** The account read the chat elsewhere (on the phone): its unread count is 0 here too. */
  chatRead(chatId: string): Promise<void>;
  ack(receipt: MessageRef, status: 'delivered' | 'read'): Promise<void>;
  /** The provider's chat list (titles, kinds, unread counts). */
  chats(chats: ChatInfo[]): Promise<void>;
  /**
   * What the session has read so far (its own format: Telegram's update state, WhatsApp's newest
   * message time per chat). Saved with the session, handed back in `LoginStart` after a restore.
   * Report it only after the messages before it were stored (`messages` resolved).
   */
  catchUpCursor(cursor: string): Promise<void>;
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
 *   it resolves once the client is connected or waits for the user (a QR, a code). After a
 *   restore it fetches what arrived while no client ran (after `catchUpCursor`) and reports it
 *   as ordinary messages.
 * - `stop` may come at any time, also while `start` runs: the client then ends as soon as it
 *   can, and reports nothing more. `start` after `stop` does nothing. `stop` twice is harmless.
 * - `send` delivers once per call: the worker never asks twice for a send whose outcome it knows;
 *   it asks `findSent` first when it does not know (a crash, a timeout).
 * - Actions (`edit`, `delete`, `react`, `markRead`) act on a message or chat at the provider and
 *   throw `PermanentSendError` with a readable reason when the provider refuses.
 * - A session never writes anything itself: it reports, the worker stores.
 */
export interface MessengerSession {
  readonly provider: Provider;
  readonly connected: boolean;
  start(login: LoginStart): Promise<void>;
  submitLoginInput(input: LoginInput): Promise<void>;
  /**
   * The canonical chat an address leads to (one person, one chat); null when the provider knows
   * no such address (the send then fails for good, with a reason).
   */
  resolve(address: string): Promise<ResolvedAddress | null>;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Whether the provider already has this send (our message id as the client id): the answer
   * to a send whose outcome is unknown. Telegram: the `random_id`; WhatsApp: the chat's recent
   * own messages; sandbox: the outbox. Null: it never went out, send it.
   */
  findSent(message: Pick<OutgoingMessage, 'clientMessageId' | 'to'>): Promise<SendResult | null>;
  edit(ref: MessageRef, text: string): Promise<{ editedAt: Date }>;
  delete(ref: MessageRef, options: { forEveryone: boolean }): Promise<void>;
  /** Sets the account's reaction; an empty emoji removes it. */
  react(ref: MessageRef, emoji: string): Promise<void>;
  /** Marks the chat read at the provider up to its newest message. */
  markRead(chatId: string): Promise<void>;
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
