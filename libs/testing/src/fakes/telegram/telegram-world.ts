import { randomBytes, randomInt } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type bigInt from 'big-integer';
import { FakeDocuments } from './fake-documents';
import { FakeRpcError } from './fake-rpc-error';
import { now, UpdateLog, type LoggedUpdate } from './update-log';

export { now, type LoggedUpdate } from './update-log';

/** A Telegram user the fake knows: an account under test or one of its contacts. */
export interface FakeUser {
  id: number;
  accessHash: bigInt.BigInteger;
  phone: string;
  firstName: string;
  lastName?: string;
  username?: string;
  /** The 2FA password, if the account has one. */
  password?: string;
  /** The data centre the account lives on: logging in elsewhere answers `PHONE_MIGRATE_<dc>`. */
  homeDc: number;
}

export interface NewUser {
  phone: string;
  firstName: string;
  lastName?: string;
  username?: string;
  password?: string;
  homeDc?: number;
}

/**
 * A basic group (`chat`: message ids and pts are each member account's own) or a channel /
 * supergroup (`channel`: ids and pts belong to the channel, the same for every member).
 */
export interface FakeChat {
  id: number;
  kind: 'group' | 'channel';
  /** A supergroup: a channel whose members write (messages carry their sender). */
  megagroup: boolean;
  title: string;
  accessHash: bigInt.BigInteger;
  members: Set<number>;
  date: number;
  /** A channel's own log (unused for basic groups, whose messages live in each member's log). */
  log: UpdateLog;
}

export interface NewChat {
  kind: 'group' | 'channel';
  title: string;
  memberIds: number[];
  megagroup?: boolean;
}

interface AccountState {
  log: UpdateLog;
  contacts: Set<number>;
}

/** What an account sent: one entry per distinct `random_id`, however often it was asked. */
export interface SentMessage {
  fromUserId: number;
  toUserId: number;
  id: number;
  randomId: string;
  text: string;
  pts: number;
  date: number;
}

/**
 * The fake's state: users, their private-chat message ids and update logs (pts), contacts and
 * what each account sent. Private-chat message ids are per account, as in Telegram.
 */
export class TelegramWorld {
  private readonly users = new Map<number, FakeUser>();
  private readonly accounts = new Map<number, AccountState>();
  private readonly sentByRandomId = new Map<string, SentMessage>();
  private readonly chats = new Map<number, FakeChat>();
  readonly documents = new FakeDocuments();
  private nextChatId = 5_000_001;
  readonly sent: SentMessage[] = [];
  private nextUserId = 1_000_001;

  addUser(input: NewUser): FakeUser {
    if (this.userByPhone(input.phone)) throw new Error(`a user with phone ${input.phone} exists`);
    if (input.username && this.userByUsername(input.username)) throw new Error(`username ${input.username} is taken`);
    const user: FakeUser = {
      id: this.nextUserId++,
      accessHash: returnBigInt(randomBytes(7).readUIntBE(0, 6)),
      homeDc: 2,
      ...input,
      phone: input.phone.replace(/^\+/, ''),
    };
    this.users.set(user.id, user);
    this.accounts.set(user.id, { log: new UpdateLog(), contacts: new Set() });
    return user;
  }

  user(id: number): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`no fake user ${id}`);
    return user;
  }

  userByPhone(phone: string): FakeUser | undefined {
    const digits = phone.replace(/^\+/, '');
    return [...this.users.values()].find((user) => user.phone === digits);
  }

  userByUsername(username: string): FakeUser | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    return [...this.users.values()].find((user) => user.username?.toLowerCase() === wanted);
  }

  addContact(ownerId: number, contactId: number): void {
    this.account(ownerId).contacts.add(contactId);
  }

  contactsOf(ownerId: number): FakeUser[] {
    return [...this.account(ownerId).contacts].map((id) => this.user(id));
  }

  /** The user as `viewerId` sees it (TL `user`). */
  tlUser(user: FakeUser, viewerId: number): Api.User {
    return new Api.User({
      id: returnBigInt(user.id),
      accessHash: user.accessHash,
      firstName: user.firstName,
      lastName: user.lastName,
      username: user.username,
      phone: user.phone,
      self: user.id === viewerId,
      contact: this.account(viewerId).contacts.has(user.id),
    });
  }

  addChat(input: NewChat): FakeChat {
    const chat: FakeChat = {
      id: this.nextChatId++,
      kind: input.kind,
      megagroup: input.kind === 'channel' && Boolean(input.megagroup),
      title: input.title,
      accessHash: returnBigInt(randomBytes(7).readUIntBE(0, 6)),
      members: new Set(input.memberIds.map((id) => this.user(id).id)),
      date: now(),
      log: new UpdateLog(),
    };
    this.chats.set(chat.id, chat);
    return chat;
  }

  chat(id: number): FakeChat {
    const chat = this.chats.get(id);
    if (!chat) throw new Error(`no fake chat ${id}`);
    return chat;
  }

  tlChat(chat: FakeChat): Api.Chat | Api.Channel {
    const common = { id: returnBigInt(chat.id), title: chat.title, photo: new Api.ChatPhotoEmpty(), date: chat.date };
    if (chat.kind === 'group') return new Api.Chat({ ...common, participantsCount: chat.members.size, version: 1 });
    return new Api.Channel({ ...common, accessHash: chat.accessHash, megagroup: chat.megagroup, broadcast: !chat.megagroup });
  }

  /** A member writes in a basic group: every member's account gets its own id and pts. */
  deliverToGroup(chatId: number, fromId: number, text: string): Map<number, LoggedUpdate> {
    const chat = this.chat(chatId);
    if (chat.kind !== 'group' || !chat.members.has(fromId)) throw new Error(`${fromId} cannot write in group ${chatId}`);
    const delivered = new Map<number, LoggedUpdate>();
    for (const memberId of chat.members) {
      const logged = this.account(memberId).log.addMessage(
        (id, date) =>
          new Api.Message({
            id,
            out: memberId === fromId,
            peerId: new Api.PeerChat({ chatId: returnBigInt(chatId) }),
            fromId: new Api.PeerUser({ userId: returnBigInt(fromId) }),
            date,
            message: text,
          }),
      );
      delivered.set(memberId, logged);
    }
    return delivered;
  }

  /** A post in a channel (or a member's message in a supergroup): the channel's own id and pts. */
  deliverToChannel(channelId: number, fromId: number | null, text: string): LoggedUpdate {
    const chat = this.chat(channelId);
    if (chat.kind !== 'channel') throw new Error(`${channelId} is not a channel`);
    if (chat.megagroup && (fromId === null || !chat.members.has(fromId))) throw new Error(`${fromId} cannot write in ${channelId}`);
    return chat.log.addMessage(
      (id, date) =>
        new Api.Message({
          id,
          post: !chat.megagroup,
          peerId: new Api.PeerChannel({ channelId: returnBigInt(channelId) }),
          fromId: chat.megagroup && fromId !== null ? new Api.PeerUser({ userId: returnBigInt(fromId) }) : undefined,
          date,
          message: text,
        }),
    );
  }

  /** updates.getChannelDifference: the channel's messages after `pts`, for a member. */
  channelDifference(viewerId: number, input: unknown, pts: number, limit: number): Api.updates.TypeChannelDifference {
    const chat = this.resolveChannel(viewerId, input);
    const ptsAfter = chat.log.ptsAfter(pts);
    if (ptsAfter.length === 0) return new Api.updates.ChannelDifferenceEmpty({ final: true, pts: chat.log.pts });
    const last = ptsAfter[Math.min(ptsAfter.length, Math.max(1, limit)) - 1];
    const { messages, events } = chat.log.after(pts, last);
    return new Api.updates.ChannelDifference({
      final: last === chat.log.pts,
      pts: last,
      newMessages: messages.map((entry) => entry.message),
      otherUpdates: events.map((entry) => entry.update),
      chats: [this.tlChat(chat)],
      users: this.usersOf(messages, viewerId),
    });
  }

  resolveChannel(viewerId: number, input: unknown): FakeChat {
    if (!(input instanceof Api.InputChannel)) throw new FakeRpcError(400, 'CHANNEL_INVALID');
    const chat = this.chats.get(input.channelId.toJSNumber());
    if (!chat || chat.kind !== 'channel' || !input.accessHash.eq(chat.accessHash)) throw new FakeRpcError(400, 'CHANNEL_INVALID');
    if (!chat.members.has(viewerId)) throw new FakeRpcError(400, 'CHANNEL_PRIVATE');
    return chat;
  }

  /** The users a set of messages mentions (peers and senders), plus the viewer. */
  usersOf(entries: LoggedUpdate[], viewerId: number): Api.User[] {
    const ids = new Set<number>([viewerId]);
    for (const { message } of entries) {
      for (const peer of [message.peerId, message.fromId]) if (peer instanceof Api.PeerUser) ids.add(peer.userId.toJSNumber());
    }
    return [...ids].map((id) => this.tlUser(this.user(id), viewerId));
  }

  /** The basic groups a set of messages was written in. */
  chatsOf(entries: LoggedUpdate[]): Api.TypeChat[] {
    const ids = new Set<number>();
    for (const { message } of entries) if (message.peerId instanceof Api.PeerChat) ids.add(message.peerId.chatId.toJSNumber());
    return [...ids].map((id) => this.tlChat(this.chat(id)));
  }

  /** Resolves an InputUser/InputPeer that `viewerId` sent; a wrong access hash is PEER_ID_INVALID. */
  resolveUser(viewerId: number, input: unknown): FakeUser {
    if (input instanceof Api.InputPeerSelf || input instanceof Api.InputUserSelf) return this.user(viewerId);
    if (input instanceof Api.InputPeerUser || input instanceof Api.InputUser) {
      const user = this.users.get(input.userId.toJSNumber());
      // Access hash 0 is accepted for the viewer's contacts only, as Telegram does for user accounts.
      const known = user && input.accessHash.isZero() && this.account(viewerId).contacts.has(user.id);
      if (user && (input.accessHash.eq(user.accessHash) || known)) return user;
    }
    throw new FakeRpcError(400, 'PEER_ID_INVALID');
  }

  state(userId: number): Api.updates.State {
    return new Api.updates.State({ pts: this.account(userId).log.pts, qts: 0, date: now(), seq: 0, unreadCount: 0 });
  }

  /** A private message from `fromId` lands in `toId`'s account: new id and pts there. */
  deliverPrivate(fromId: number, toId: number, text: string, media?: Api.TypeMessageMedia): LoggedUpdate {
    return this.account(toId).log.addMessage(
      (id, date) =>
        new Api.Message({
          id,
          out: false,
          peerId: new Api.PeerUser({ userId: returnBigInt(fromId) }),
          fromId: new Api.PeerUser({ userId: returnBigInt(fromId) }),
          date,
          message: text,
          media,
        }),
    );
  }

  /** messages.sendMessage: a repeated `random_id` to the same peer answers the first message. */
  send(fromId: number, toId: number, randomId: string, text: string): SentMessage {
    const key = `${fromId}:${toId}:${randomId}`;
    const existing = this.sentByRandomId.get(key);
    if (existing) return existing;
    const { message, pts, date } = this.account(fromId).log.addMessage(
      (id, messageDate) =>
        new Api.Message({
          id,
          out: true,
          peerId: new Api.PeerUser({ userId: returnBigInt(toId) }),
          fromId: new Api.PeerUser({ userId: returnBigInt(fromId) }),
          date: messageDate,
          message: text,
        }),
    );
    const sent: SentMessage = { fromUserId: fromId, toUserId: toId, id: message.id, randomId, text, pts, date };
    this.sentByRandomId.set(key, sent);
    this.sent.push(sent);
    if (this.accounts.has(toId) && toId !== fromId) this.deliverPrivate(fromId, toId, text);
    return sent;
  }

  /** updates.getDifference: everything logged after `pts`, with the users it mentions. */
  difference(userId: number, pts: number): Api.updates.TypeDifference {
    const { messages, events } = this.account(userId).log.after(pts);
    if (messages.length === 0 && events.length === 0) return new Api.updates.DifferenceEmpty({ date: now(), seq: 0 });
    return new Api.updates.Difference({
      newMessages: messages.map((entry) => entry.message),
      newEncryptedMessages: [],
      otherUpdates: events.map((entry) => entry.update),
      chats: this.chatsOf(messages),
      users: this.usersOf(messages, userId),
      state: this.state(userId),
    });
  }

  /** A message in an account's private chat or basic group is edited (by whoever wrote it). */
  editMessage(accountId: number, messageId: number, text: string): Api.UpdateEditMessage {
    const log = this.account(accountId).log;
    const { message, pts } = log.edit(messageId, text);
    return recorded(log, pts, new Api.UpdateEditMessage({ message, pts, ptsCount: 1 }));
  }

  /** Messages of an account's private chats or basic groups are deleted for everyone. */
  deleteMessages(accountId: number, messageIds: number[]): Api.UpdateDeleteMessages {
    const log = this.account(accountId).log;
    const pts = log.remove(messageIds);
    return recorded(log, pts, new Api.UpdateDeleteMessages({ messages: messageIds, pts, ptsCount: messageIds.length }));
  }

  /** The other party read the account's messages up to `maxId` (the outbox's read receipt). */
  readOutbox(accountId: number, peerUserId: number, maxId: number): Api.UpdateReadHistoryOutbox {
    const log = this.account(accountId).log;
    const pts = log.advance();
    const peer = new Api.PeerUser({ userId: returnBigInt(peerUserId) });
    return recorded(log, pts, new Api.UpdateReadHistoryOutbox({ peer, maxId, pts, ptsCount: 1 }));
  }

  /** Someone reacts to a message: Telegram sends the new reaction counts (no pts). */
  react(accountId: number, peer: Api.TypePeer, messageId: number, fromUserId: number, emoticon: string): Api.UpdateMessageReactions {
    this.account(accountId);
    const reaction = new Api.ReactionEmoji({ emoticon });
    return new Api.UpdateMessageReactions({
      peer,
      msgId: messageId,
      reactions: new Api.MessageReactions({
        results: [new Api.ReactionCount({ reaction, count: 1 })],
        recentReactions: [new Api.MessagePeerReaction({ peerId: new Api.PeerUser({ userId: returnBigInt(fromUserId) }), date: now(), reaction })],
      }),
    });
  }

  editChannelMessage(channelId: number, messageId: number, text: string): Api.UpdateEditChannelMessage {
    const log = this.chat(channelId).log;
    const { message, pts } = log.edit(messageId, text);
    return recorded(log, pts, new Api.UpdateEditChannelMessage({ message, pts, ptsCount: 1 }));
  }

  deleteChannelMessages(channelId: number, messageIds: number[]): Api.UpdateDeleteChannelMessages {
    const log = this.chat(channelId).log;
    const pts = log.remove(messageIds);
    const channel = returnBigInt(channelId);
    return recorded(log, pts, new Api.UpdateDeleteChannelMessages({ channelId: channel, messages: messageIds, pts, ptsCount: messageIds.length }));
  }

  newLoginCode(): string {
    return String(randomInt(10_000, 100_000));
  }

  private account(userId: number): AccountState {
    const account = this.accounts.get(userId);
    if (!account) throw new Error(`no fake account ${userId}`);
    return account;
  }
}

/** Logs the update that announced a change (for catch-up) and returns it (to push it). */
function recorded<T extends Api.TypeUpdate>(log: UpdateLog, pts: number, update: T): T {
  log.record(pts, update);
  return update;
}
