import { Api, TelegramClient } from 'telegram';
import { Raw } from 'telegram/events';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { returnBigInt } from 'telegram/Helpers';
import { StringSession } from 'telegram/sessions';
import { fixedPortSocket } from './fixed-port-socket';
import { TelegramCallError, toTelegramCallError } from './telegram-call-error';
import { randomIdFor } from './telegram-random-id';
import { addServerKeys } from './telegram-server-keys';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONNECTION_RETRIES, parseTelegramProxy, type TelegramClientSettings } from './telegram-settings';
import { withDeadline } from './with-deadline';

/** A channel (or supergroup) as a client addresses it: keep it with the channel's pts. */
export interface TelegramChannelRef {
  id: string;
  accessHash: string;
}

/** A document (file) attached to a message: everything needed to download it later. */
export interface TelegramDocumentRef {
  id: string;
  accessHash: string;
  /** base64; Telegram may expire it (FILE_REFERENCE_EXPIRED): then refetch the message. */
  fileReference: string;
  dcId: number;
  size: number;
  mimeType: string;
  fileName: string | null;
}

/** Parts of a download: a divisor of 1 MiB, as upload.getFile requires. */
const DOWNLOAD_PART_BYTES = 512 * 1024;

/** A message that arrived (or was sent from another device); `text` is the caption of a file. */
export interface TelegramIncomingMessage {
  /**
   * The chat: the other party's user id in private, else the group's or channel's id. Ids are
   * unique only within a kind, and message ids only within a channel: key by all three.
   */
  chatId: string;
  chatKind: 'user' | 'group' | 'channel';
  /** For channel messages, when the update carried the channel: what `catchUpChannel` needs. */
  channel?: TelegramChannelRef;
  messageId: number;
  senderId: string | null;
  text: string;
  date: Date;
  /** Written by this account (on another device). */
  outgoing: boolean;
  /** The account's pts, or the channel's for channel messages. */
  pts: number;
  document?: TelegramDocumentRef;
}

/** The update state a StringSession does not keep: saved beside it, fed to `catchUp`. */
export interface TelegramUpdateState {
  pts: number;
  qts: number;
  date: number;
}

export interface TelegramCatchUp {
  messages: TelegramIncomingMessage[];
  /** Edits, deletes, reads and the like that were missed, as Telegram sent them. */
  otherUpdates: Api.TypeUpdate[];
  state: TelegramUpdateState;
  /** More remain: call again with `state`. */
  more: boolean;
  /** The gap was too long to replay (Telegram answered differenceTooLong). */
  tooLong: boolean;
}

/**
 * One gramjs client of one Telegram account, configured so it cannot hang or sleep unseen:
 * finite connection retries, flood-sleep threshold 0 (a FLOOD_WAIT always surfaces), a deadline
 * on the connect and on every call, `connect() === false` reported as a failure. The session is a
 * StringSession: `save()` returns what to keep, `create(settings, saved)` restores it.
 */
export class TelegramUserClient {
  private readonly callTimeoutMs: number;

  private constructor(
    readonly client: TelegramClient,
    settings: TelegramClientSettings,
  ) {
    this.callTimeoutMs = settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  static create(settings: TelegramClientSettings, savedSession: string | null, logLevel: LogLevel = LogLevel.ERROR): TelegramUserClient {
    if (settings.serverKeys?.length) addServerKeys(settings.serverKeys);
    const session = new StringSession(savedSession ?? '');
    // setDC applies to a new session only: a restored one names the DC its auth key lives on.
    if (!savedSession && settings.dc) session.setDC(settings.dc.id, settings.dc.ipAddress, 443);
    const callTimeoutMs = settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const client = new TelegramClient(session, settings.apiId, settings.apiHash, {
      baseLogger: new Logger(logLevel),
      connectionRetries: settings.connectionRetries ?? DEFAULT_CONNECTION_RETRIES,
      requestRetries: 2,
      retryDelay: 500,
      timeout: Math.max(1, Math.ceil(callTimeoutMs / 1000)),
      floodSleepThreshold: 0,
      autoReconnect: true,
      ...(settings.dc?.port ? { networkSocket: fixedPortSocket(settings.dc.port) } : {}),
      ...(settings.proxy ? { proxy: parseTelegramProxy(settings.proxy) } : {}),
    });
    return new TelegramUserClient(client, settings);
  }

  /** Connects (and creates an auth key if the session has none); throws a TelegramCallError. */
  async connect(): Promise<void> {
    let connected: boolean;
    try {
      connected = await withDeadline(this.client.connect(), this.callTimeoutMs, 'connect');
    } catch (error) {
      throw toTelegramCallError(error, 'connect');
    }
    // gramjs resolves false when its retries ran out, and every later request would then hang.
    if (!connected) throw new TelegramCallError('not_connected', 'connect', 'could not reach the data centre');
  }

  /** Invokes one request with the deadline; failures become TelegramCallErrors. */
  async call<R extends Api.AnyRequest>(request: R): Promise<R['__response']> {
    try {
      return await withDeadline(this.client.invoke(request), this.callTimeoutMs, request.className);
    } catch (error) {
      throw toTelegramCallError(error, request.className);
    }
  }

  /** Whether the session is logged in: false when Telegram no longer knows it (revoked, logged out). */
  async isAuthorized(): Promise<boolean> {
    try {
      await this.call(new Api.updates.GetState());
      return true;
    } catch (error) {
      if (error instanceof TelegramCallError && error.kind === 'logged_out') return false;
      throw error;
    }
  }

  async me(): Promise<Api.User> {
    const [me] = await this.call(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    if (!(me instanceof Api.User)) throw new TelegramCallError('logged_out', 'users.GetUsers', 'no self user');
    return me;
  }

  /** The session to keep (auth key and DC); restore with `create(settings, saved)`. */
  save(): string {
    return (this.client.session as StringSession).save();
  }

  async updateState(): Promise<TelegramUpdateState> {
    const state = await this.call(new Api.updates.GetState());
    return { pts: state.pts, qts: state.qts, date: state.date };
  }

  /** One page of what happened after `state` (updates.getDifference): call while `more`. */
  async catchUp(state: TelegramUpdateState): Promise<TelegramCatchUp> {
    const difference = await this.call(new Api.updates.GetDifference({ pts: state.pts, qts: state.qts, date: state.date }));
    if (difference instanceof Api.updates.DifferenceEmpty) {
      return { messages: [], otherUpdates: [], state: { ...state, date: difference.date }, more: false, tooLong: false };
    }
    if (difference instanceof Api.updates.DifferenceTooLong) {
      return { messages: [], otherUpdates: [], state: { ...state, pts: difference.pts }, more: false, tooLong: true };
    }
    const next = difference instanceof Api.updates.DifferenceSlice ? difference.intermediateState : difference.state;
    const messages = difference.newMessages.flatMap((message) => (message instanceof Api.Message ? [toIncoming(message, next.pts)] : []));
    return {
      messages,
      otherUpdates: difference.otherUpdates,
      state: { pts: next.pts, qts: next.qts, date: next.date },
      more: difference instanceof Api.updates.DifferenceSlice,
      tooLong: false,
    };
  }

  /** One page of a channel's messages after `pts` (updates.getChannelDifference): call while `more`. */
  async catchUpChannel(
    channel: TelegramChannelRef,
    pts: number,
    limit = 100,
  ): Promise<{ messages: TelegramIncomingMessage[]; otherUpdates: Api.TypeUpdate[]; pts: number; more: boolean }> {
    const input = new Api.InputChannel({ channelId: returnBigInt(channel.id), accessHash: returnBigInt(channel.accessHash) });
    const difference = await this.call(new Api.updates.GetChannelDifference({ channel: input, filter: new Api.ChannelMessagesFilterEmpty(), pts, limit }));
    if (difference instanceof Api.updates.ChannelDifferenceEmpty) return { messages: [], otherUpdates: [], pts: difference.pts, more: false };
    if (difference instanceof Api.updates.ChannelDifferenceTooLong) {
      throw new TelegramCallError('rpc', 'updates.GetChannelDifference', 'CHANNEL_DIFFERENCE_TOO_LONG');
    }
    const messages = difference.newMessages.flatMap((message) =>
      message instanceof Api.Message ? [toIncoming(message, difference.pts, difference.chats)] : [],
    );
    return { messages, otherUpdates: difference.otherUpdates, pts: difference.pts, more: !difference.final };
  }

  /** Calls `handler` for each text message pushed to this client; returns the unsubscribe. */
  onMessage(handler: (message: TelegramIncomingMessage) => void): () => void {
    const builder = new Raw({ types: [Api.UpdateNewMessage, Api.UpdateNewChannelMessage, Api.UpdateShortMessage, Api.UpdateShortChatMessage] });
    type Pushed = (Api.UpdateNewMessage | Api.UpdateNewChannelMessage | Api.UpdateShortMessage | Api.UpdateShortChatMessage) & {
      _entities?: Map<string, unknown>;
    };
    const listener = (update: Pushed) => {
      if (update instanceof Api.UpdateShortMessage) {
        handler({
          chatId: update.userId.toString(),
          chatKind: 'user',
          messageId: update.id,
          senderId: update.out ? null : update.userId.toString(),
          text: update.message,
          date: new Date(update.date * 1000),
          outgoing: Boolean(update.out),
          pts: update.pts,
        });
      } else if (update instanceof Api.UpdateShortChatMessage) {
        handler({
          chatId: update.chatId.toString(),
          chatKind: 'group',
          messageId: update.id,
          senderId: update.fromId.toString(),
          text: update.message,
          date: new Date(update.date * 1000),
          outgoing: Boolean(update.out),
          pts: update.pts,
        });
      } else if (update.message instanceof Api.Message) {
        handler(toIncoming(update.message, update.pts, [...(update._entities?.values() ?? [])]));
      }
    };
    this.client.addEventHandler(listener, builder);
    return () => this.client.removeEventHandler(listener, builder);
  }

  /**
   * Resolves `@username`, `+phone` or a numeric user id to an input peer. A numeric id resolves
   * only from gramjs's cache or for a contact (Telegram needs the access hash otherwise).
   */
  async resolvePeer(to: string): Promise<Api.TypeInputPeer> {
    if (/^@?[A-Za-z]\w{3,31}$/.test(to)) {
      const resolved = await this.call(new Api.contacts.ResolveUsername({ username: to.replace(/^@/, '') }));
      return inputPeerOf(resolved.peer, resolved.users);
    }
    if (/^\+?\d{5,15}$/.test(to) && to.startsWith('+')) {
      const resolved = await this.call(new Api.contacts.ResolvePhone({ phone: to.replace(/^\+/, '') }));
      return inputPeerOf(resolved.peer, resolved.users);
    }
    // A digit string would be taken for a phone number by gramjs: pass ids as numbers.
    const entity = /^\d+$/.test(to) ? returnBigInt(to) : to;
    try {
      return await withDeadline(this.client.getInputEntity(entity), this.callTimeoutMs, 'getInputEntity');
    } catch (error) {
      throw toTelegramCallError(error, 'getInputEntity');
    }
  }

  /**
   * Sends a text with `random_id` derived from our message id (messages.sendMessage itself, not
   * gramjs's sendMessage, which picks a random one): a repeat returns the first message.
   */
  async sendText(peer: Api.TypeInputPeer, text: string, messageId: string): Promise<{ id: number; date: Date }> {
    const randomId = randomIdFor(messageId);
    const result = await this.call(new Api.messages.SendMessage({ peer, message: text, randomId, noWebpage: true }));
    if (result instanceof Api.UpdateShortSentMessage) return { id: result.id, date: new Date(result.date * 1000) };
    if (result instanceof Api.Updates || result instanceof Api.UpdatesCombined) {
      const assigned = result.updates.find((update) => update instanceof Api.UpdateMessageID && update.randomId?.eq(randomId));
      if (assigned instanceof Api.UpdateMessageID) return { id: assigned.id, date: new Date(result.date * 1000) };
    }
    throw new TelegramCallError('rpc', 'messages.SendMessage', `unexpected answer ${result.className}`);
  }

  /**
   * Downloads a document in parts with upload.getFile on this client's own connection (gramjs's
   * downloadMedia borrows a second sender, which outlives `destroy` and can spin on a DC it does
   * not know). A document on another DC answers FILE_MIGRATE_X, surfaced as an rpc error.
   */
  async downloadDocument(document: TelegramDocumentRef): Promise<Buffer> {
    const location = new Api.InputDocumentFileLocation({
      id: returnBigInt(document.id),
      accessHash: returnBigInt(document.accessHash),
      fileReference: Buffer.from(document.fileReference, 'base64'),
      thumbSize: '',
    });
    const parts: Buffer[] = [];
    for (let offset = 0; ; offset += DOWNLOAD_PART_BYTES) {
      const part = await this.call(new Api.upload.GetFile({ location, offset: returnBigInt(offset), limit: DOWNLOAD_PART_BYTES, precise: true }));
      if (!(part instanceof Api.upload.File)) throw new TelegramCallError('rpc', 'upload.GetFile', `unexpected answer ${part.className}`);
      parts.push(part.bytes);
      if (part.bytes.length < DOWNLOAD_PART_BYTES) return Buffer.concat(parts);
    }
  }

  /** Disconnects every sender and stops gramjs's loops; safe to call twice. */
  async destroy(): Promise<void> {
    await withDeadline(this.client.destroy(), this.callTimeoutMs, 'destroy').catch(() => undefined);
  }
}

function documentOf(message: Api.Message): TelegramDocumentRef | undefined {
  const media = message.media;
  if (!(media instanceof Api.MessageMediaDocument) || !(media.document instanceof Api.Document)) return undefined;
  const document = media.document;
  const named = document.attributes.find((attribute) => attribute instanceof Api.DocumentAttributeFilename);
  return {
    id: document.id.toString(),
    accessHash: document.accessHash.toString(),
    fileReference: document.fileReference.toString('base64'),
    dcId: document.dcId,
    size: document.size.toJSNumber(),
    mimeType: document.mimeType,
    fileName: named instanceof Api.DocumentAttributeFilename ? named.fileName : null,
  };
}

function toIncoming(message: Api.Message, pts: number, entities: readonly unknown[] = []): TelegramIncomingMessage {
  const peer = message.peerId;
  const document = documentOf(message);
  const base = {
    messageId: message.id,
    text: message.message,
    date: new Date(message.date * 1000),
    outgoing: Boolean(message.out),
    pts,
    ...(document ? { document } : {}),
  };
  const sender = message.fromId instanceof Api.PeerUser ? message.fromId.userId.toString() : null;
  if (peer instanceof Api.PeerUser) {
    const chatId = peer.userId.toString();
    return { ...base, chatId, chatKind: 'user', senderId: message.out ? sender : chatId };
  }
  if (peer instanceof Api.PeerChat) return { ...base, chatId: peer.chatId.toString(), chatKind: 'group', senderId: sender };
  const channelId = peer.channelId;
  const channel = entities.find((entity): entity is Api.Channel => entity instanceof Api.Channel && entity.id.eq(channelId));
  return {
    ...base,
    chatId: channelId.toString(),
    chatKind: 'channel',
    // A broadcast post has no sender (it is the channel's); a supergroup message names its member.
    senderId: sender,
    channel: channel?.accessHash ? { id: channelId.toString(), accessHash: channel.accessHash.toString() } : undefined,
  };
}

function inputPeerOf(peer: Api.TypePeer, users: Api.TypeUser[]): Api.TypeInputPeer {
  if (peer instanceof Api.PeerUser) {
    const user = users.find((candidate) => candidate instanceof Api.User && candidate.id.eq(peer.userId));
    if (user instanceof Api.User && user.accessHash) return new Api.InputPeerUser({ userId: user.id, accessHash: user.accessHash });
  }
  throw new TelegramCallError('rpc', 'resolvePeer', `cannot address ${peer.className}`);
}
