import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { TelegramClientSettings } from '@switchboard/messengers/telegram';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { AuthKeyRegistry } from './auth-key-registry';
import { FakeDcConnection } from './fake-dc-connection';
import { FakeRpcError } from './fake-rpc-error';
import { FakeServerKey } from './fake-server-key';
import { RpcHandlers } from './rpc-handlers';
import { serializeResult } from './serialize-result';
import { TelegramWorld, type FakeChat, type FakeUser, type NewChat, type NewUser } from './telegram-world';

export interface FakeTelegramOptions {
  /** The app credentials clients must send (auth.sendCode, auth.exportLoginToken). */
  apiId?: number;
  apiHash?: string;
  /** Data centre ids to serve; DC n listens on 127.0.0.n. */
  dcIds?: number[];
}

/** Every RPC the fake received, in order, with what it answered. */
export interface RecordedRequest {
  dcId: number;
  method: string;
  request: unknown;
  /** The account the auth key was logged in as, if any. */
  userId?: number;
  /** The RPC error answered, if any (e.g. `420 FLOOD_WAIT_3`). */
  error?: string;
}

interface InjectedFailure {
  method: string;
  code: number;
  message: string;
  remaining: number;
}

/**
 * A fake Telegram: several data centres speaking MTProto 2.0 over loopback TCP, built from
 * gramjs's own TL schema and crypto, so real unmodified gramjs runs against it. Each DC n listens
 * on 127.0.0.n:`port` (one port for all). Clients reach it through the same settings a
 * self-hosted MTProto server needs: a DC address, a port and the server's RSA key (`publicKeyPem`).
 *
 * Strict: a method it does not serve answers `400 FAKE_METHOD_NOT_IMPLEMENTED_<method>` and is
 * listed in `unhandled`; a protocol error closes the connection and is listed in `protocolErrors`.
 */
export class FakeTelegram {
  readonly apiId: number;
  readonly apiHash: string;
  readonly serverKey = new FakeServerKey();
  readonly world = new TelegramWorld();
  readonly requests: RecordedRequest[] = [];
  readonly unhandled: RecordedRequest[] = [];
  readonly protocolErrors: Error[] = [];
  /** Auth key ids clients used that this fake never created (answered with transport error -404). */
  readonly unknownAuthKeys: string[] = [];
  /** Emits `request` (RecordedRequest) after each answer. */
  readonly events = new EventEmitter();
  private readonly authKeys = new AuthKeyRegistry();
  private readonly handlers: RpcHandlers;
  private readonly connections = new Set<FakeDcConnection>();
  private readonly failures: InjectedFailure[] = [];
  private readonly servers: Server[] = [];
  private readonly dcAddresses = new Map<number, string>();
  port = 0;

  private constructor(options: FakeTelegramOptions) {
    this.apiId = options.apiId ?? 12345;
    this.apiHash = options.apiHash ?? '0123456789abcdef0123456789abcdef';
    for (const dcId of options.dcIds ?? [1, 2, 3, 4, 5]) this.dcAddresses.set(dcId, `127.0.0.${dcId}`);
    this.handlers = new RpcHandlers({
      world: this.world,
      authKeys: this.authKeys,
      apiId: this.apiId,
      apiHash: this.apiHash,
      dcAddresses: this.dcAddresses,
      pushToKey: (authKeyId, updates) => this.pushToKey(authKeyId, updates),
    });
    this.events.setMaxListeners(100);
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options);
    await fake.listen();
    return fake;
  }

  /** `<dcId>@<ipv4>:<port>`: the TELEGRAM_DC setting that points a new session at DC `dcId`. */
  dcSetting(dcId: number): string {
    return `${dcId}@${this.dcAddress(dcId)}:${this.port}`;
  }

  /** Client settings that reach DC `dcId` of this fake (default 4, gramjs's usual first DC). */
  clientSettings(dcId = 4): TelegramClientSettings {
    return {
      apiId: this.apiId,
      apiHash: this.apiHash,
      dc: { id: dcId, ipAddress: this.dcAddress(dcId), port: this.port },
      serverKeys: [this.serverKey.publicKeyPem],
      callTimeoutMs: 10_000,
      connectionRetries: 1,
    };
  }

  /** The data centres served: id → IPv4 address (all on `port`). */
  get dcs(): Record<number, string> {
    return Object.fromEntries(this.dcAddresses);
  }

  dcAddress(dcId: number): string {
    const address = this.dcAddresses.get(dcId);
    if (!address) throw new Error(`the fake serves no DC ${dcId}`);
    return address;
  }

  // ---- the driver: what the world and other devices do ----

  addUser(user: NewUser): FakeUser {
    return this.world.addUser(user);
  }

  addContact(ownerId: number, contactId: number): void {
    this.world.addContact(ownerId, contactId);
  }

  /** The login code last sent to a phone, as the user would read it in their app. */
  codeSentTo(phone: string): string {
    const code = this.handlers.login.lastCodeByPhone.get(phone.replace(/^\+/, ''));
    if (!code) throw new Error(`no login code was sent to ${phone}`);
    return code;
  }

  /** The newest QR login token a client exported and nobody accepted yet. */
  newestLoginToken(): Buffer | undefined {
    return this.handlers.login.newestLoginToken();
  }

  /** Another device of `userId` scans the QR code showing `token` (default: the newest). */
  acceptLoginToken(userId: number, token = this.newestLoginToken()): void {
    if (!token) throw new Error('no QR login token to accept');
    this.handlers.login.acceptLoginToken(token, userId);
  }

  /**
   * `fromId` writes `text` to `toId` in private; pushed to `toId`'s connected clients as
   * `updates` with the users, or (`short`) as `updateShortMessage`, which carries no users:
   * Telegram's form for a sender the client is expected to know already.
   */
  deliverText(fromId: number, toId: number, text: string, form: 'updates' | 'short' = 'updates'): { id: number; pts: number } {
    return this.deliverPrivate(fromId, toId, text, undefined, form);
  }

  /**
   * `fromId` sends a file to `toId` in private, with an optional caption. The document is stored
   * on the recipient's home DC (a download from another DC would need FILE_MIGRATE handling).
   */
  deliverDocument(
    fromId: number,
    toId: number,
    file: { bytes: Buffer; mimeType: string; fileName: string; caption?: string },
  ): { id: number; pts: number; documentId: string } {
    const document = this.world.documents.add(file.bytes, file.mimeType, file.fileName, this.world.user(toId).homeDc);
    const delivered = this.deliverPrivate(fromId, toId, file.caption ?? '', new Api.MessageMediaDocument({ document }), 'updates');
    return { ...delivered, documentId: document.id.toString() };
  }

  private deliverPrivate(fromId: number, toId: number, text: string, media: Api.TypeMessageMedia | undefined, form: 'updates' | 'short'): { id: number; pts: number } {
    const logged = this.world.deliverPrivate(fromId, toId, text, media);
    const users = [fromId, toId].map((id) => this.world.tlUser(this.world.user(id), toId));
    const updates =
      form === 'short'
        ? new Api.UpdateShortMessage({
            id: logged.message.id,
            userId: (logged.message.peerId as Api.PeerUser).userId,
            message: text,
            pts: logged.pts,
            ptsCount: 1,
            date: logged.date,
          })
        : new Api.Updates({
            updates: [new Api.UpdateNewMessage({ message: logged.message, pts: logged.pts, ptsCount: 1 })],
            users,
            chats: [],
            date: logged.date,
            seq: 0,
          });
    for (const key of this.authKeys.keysOf(toId)) this.pushToKey(key.id, updates);
    return { id: logged.message.id, pts: logged.pts };
  }

  /** A basic group or a channel/supergroup with these members. */
  addChat(chat: NewChat): FakeChat {
    return this.world.addChat(chat);
  }

  /** `fromId` writes in a basic group; each member's clients get it with that account's own id. */
  deliverGroupText(chatId: number, fromId: number, text: string): Map<number, { id: number; pts: number }> {
    const chat = this.world.tlChat(this.world.chat(chatId));
    const delivered = new Map<number, { id: number; pts: number }>();
    for (const [memberId, logged] of this.world.deliverToGroup(chatId, fromId, text)) {
      const updates = new Api.Updates({
        updates: [new Api.UpdateNewMessage({ message: logged.message, pts: logged.pts, ptsCount: 1 })],
        users: this.world.usersOf([logged], memberId),
        chats: [chat],
        date: logged.date,
        seq: 0,
      });
      for (const key of this.authKeys.keysOf(memberId)) this.pushToKey(key.id, updates);
      delivered.set(memberId, { id: logged.message.id, pts: logged.pts });
    }
    return delivered;
  }

  /** A post in a channel (`fromId` null) or a member's message in a supergroup, pushed to every member. */
  deliverChannelText(channelId: number, fromId: number | null, text: string): { id: number; pts: number } {
    const logged = this.world.deliverToChannel(channelId, fromId, text);
    const chat = this.world.chat(channelId);
    for (const memberId of chat.members) {
      const updates = new Api.Updates({
        updates: [new Api.UpdateNewChannelMessage({ message: logged.message, pts: logged.pts, ptsCount: 1 })],
        users: this.world.usersOf([logged], memberId),
        chats: [this.world.tlChat(chat)],
        date: logged.date,
        seq: 0,
      });
      for (const key of this.authKeys.keysOf(memberId)) this.pushToKey(key.id, updates);
    }
    return { id: logged.message.id, pts: logged.pts };
  }

  /** The message `messageId` of `accountId`'s private chat or basic group gets new text. */
  editText(accountId: number, messageId: number, text: string): void {
    const update = this.world.editMessage(accountId, messageId, text);
    const entry = { pts: update.pts, date: 0, message: update.message as Api.Message };
    this.pushToUser(accountId, update, this.world.usersOf([entry], accountId), this.world.chatsOf([entry]));
  }

  /** Messages of `accountId`'s private chats or basic groups are deleted for everyone. */
  deleteMessages(accountId: number, messageIds: number[]): void {
    this.pushToUser(accountId, this.world.deleteMessages(accountId, messageIds));
  }

  /** `peerUserId` read `accountId`'s messages in their private chat up to `maxId`. */
  readOutbox(accountId: number, peerUserId: number, maxId: number): void {
    this.pushToUser(accountId, this.world.readOutbox(accountId, peerUserId, maxId), [this.world.tlUser(this.world.user(peerUserId), accountId)]);
  }

  /** `fromUserId` reacts with `emoticon` to message `messageId` of a chat `accountId` sees. */
  react(accountId: number, chat: { kind: 'user' | 'group' | 'channel'; id: number }, messageId: number, fromUserId: number, emoticon: string): void {
    const peer =
      chat.kind === 'user'
        ? new Api.PeerUser({ userId: returnBigInt(chat.id) })
        : chat.kind === 'group'
          ? new Api.PeerChat({ chatId: returnBigInt(chat.id) })
          : new Api.PeerChannel({ channelId: returnBigInt(chat.id) });
    const update = this.world.react(accountId, peer, messageId, fromUserId, emoticon);
    this.pushToUser(accountId, update, [this.world.tlUser(this.world.user(fromUserId), accountId)]);
  }

  editChannelText(channelId: number, messageId: number, text: string): void {
    const update = this.world.editChannelMessage(channelId, messageId, text);
    const chat = this.world.chat(channelId);
    for (const memberId of chat.members) this.pushToUser(memberId, update, [], [this.world.tlChat(chat)]);
  }

  deleteChannelMessages(channelId: number, messageIds: number[]): void {
    const update = this.world.deleteChannelMessages(channelId, messageIds);
    const chat = this.world.chat(channelId);
    for (const memberId of chat.members) this.pushToUser(memberId, update, [], [this.world.tlChat(chat)]);
  }

  /** Terminates every session of the user (as "Terminate all sessions" on their phone): no event. */
  revokeSessions(userId: number): void {
    this.authKeys.revokeUser(userId);
  }

  /** The next `times` calls of `method` (TL class name, e.g. `messages.SendMessage`) fail. */
  failNext(method: string, error: { code: number; message: string }, times = 1): void {
    this.failures.push({ method, code: error.code, message: error.message, remaining: times });
  }

  /** Drops every client connection (the network broke); clients reconnect by themselves. */
  dropConnections(): void {
    for (const connection of this.connections) connection.close();
  }

  /** What accounts sent, one entry per distinct (sender, peer, random_id). */
  get sentMessages() {
    return this.world.sent;
  }

  /** How many auth keys clients created (each a full RSA/DH exchange). */
  get authKeysCreated(): number {
    return this.authKeys.size;
  }

  requestsOf(method: string): RecordedRequest[] {
    return this.requests.filter((entry) => entry.method === method);
  }

  /** Resolves with the first recorded request (past or future) that matches; rejects after `timeoutMs`. */
  async waitForRequest(match: (entry: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', listener);
        reject(new Error(`the fake Telegram saw no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (entry: RecordedRequest) => {
        if (!match(entry)) return;
        clearTimeout(timer);
        this.events.off('request', listener);
        resolve(entry);
      };
      this.events.on('request', listener);
    });
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }

  // ---- the network side ----

  private async listen(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        let port = 0;
        for (const [dcId, address] of this.dcAddresses) {
          const server = createServer((socket) => this.accept(socket, dcId));
          this.servers.push(server);
          server.listen(port, address);
          await once(server, 'listening');
          port = (server.address() as { port: number }).port;
        }
        this.port = port;
        return;
      } catch (error) {
        await this.stop();
        this.servers.length = 0;
        if (attempt >= 5) throw error;
      }
    }
  }

  private accept(socket: Socket, dcId: number): void {
    socket.setNoDelay(true);
    const connection = new FakeDcConnection(socket, {
      dcId,
      serverKey: this.serverKey,
      registerAuthKey: (authKey, keyDcId) => this.authKeys.add(authKey, keyDcId),
      findAuthKey: (idBytes) => this.authKeys.get(idBytes),
      invoke: (from, request) => this.invoke(dcId, from, request),
      onProtocolError: (error) => this.protocolErrors.push(error),
      onUnknownAuthKey: (idBytes) => this.unknownAuthKeys.push(idBytes.toString('hex')),
    });
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }

  private async invoke(dcId: number, from: FakeDcConnection, request: unknown): Promise<Buffer> {
    const method = (request as { className?: string }).className ?? 'unknown';
    const entry: RecordedRequest = { dcId, method, request, userId: from.authKey?.userId };
    this.requests.push(entry);
    try {
      const failure = this.failures.find((candidate) => candidate.method === method && candidate.remaining > 0);
      if (failure) {
        failure.remaining -= 1;
        throw new FakeRpcError(failure.code, failure.message);
      }
      if (!this.handlers.has(method)) this.unhandled.push(entry);
      return serializeResult(await this.handlers.handle({ dcId, authKey: from.authKey! }, method, request));
    } catch (error) {
      entry.error = error instanceof FakeRpcError ? error.message : `FAKE_INTERNAL ${String(error)}`;
      if (!(error instanceof FakeRpcError)) throw new FakeRpcError(400, `FAKE_INTERNAL_ERROR_${method}`);
      throw error;
    } finally {
      this.events.emit('request', entry);
    }
  }

  private pushToUser(userId: number, update: Api.TypeUpdate, users: Api.TypeUser[] = [], chats: Api.TypeChat[] = []): void {
    const updates = new Api.Updates({ updates: [update], users, chats, date: Math.floor(Date.now() / 1000), seq: 0 });
    for (const key of this.authKeys.keysOf(userId)) this.pushToKey(key.id, updates);
  }

  private pushToKey(authKeyId: string, updates: Api.TypeUpdates): void {
    for (const connection of this.connections) {
      if (connection.authKey?.id === authKeyId && !connection.closed) connection.push(updates);
    }
  }
}
