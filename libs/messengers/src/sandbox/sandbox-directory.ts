import type { ChainableCommander, Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';
import type { ChatInfo, ResolvedAddress } from '../messenger-session';
import type { SandboxChat } from './sandbox-events';

/** A message of an account as the network remembers it (for edits, revokes, reactions and the edit window). */
export interface SandboxIndexedMessage {
  chatId: string;
  /** The contact who wrote it, or null: the account itself (through a client or its phone). */
  from: string | null;
  at: string;
}

interface StoredChat {
  title: string | null;
  kind: SandboxChat['kind'];
  phone: string | null;
  lastMessageAt: string | null;
  lastExternalId: string | null;
}

interface StoredContact {
  name: string | null;
  phone: string | null;
}

/** `+15551234567` or `15551234567` (7 to 15 digits) is a phone; anything else is a name. */
export function sandboxPhoneOf(address: string): string | null {
  return /^\+?\d{7,15}$/.test(address) ? `+${address.replace(/^\+/, '')}` : null;
}

/**
 * What the simulated network knows of each account: its contacts and their phones, its chats
 * (titles, kinds, unread counts, newest message) and its messages. Shared by the network (which
 * records what happens) and the clients (which resolve addresses and list chats).
 */
export class SandboxDirectory {
  private readonly k: RedisKeys['sandbox'];

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.k = keys.sandbox;
  }

  /**
   * Where an address leads: `alice` and `@alice` are the contact `alice`; a phone the network
   * was told about (`fromPhone`) is its contact; a known group id is the group. An unknown phone
   * is a person the network has no name for: the phone itself (E.164) is their canonical id, and
   * it is remembered, so the same phone keeps leading to the same chat. Any other name is a
   * contact of that name (the simulated network accepts every name).
   */
  async resolve(accountId: string, address: string): Promise<ResolvedAddress> {
    const name = address.trim().replace(/^@/, '');
    const phone = sandboxPhoneOf(name);
    if (phone) {
      const contact = await this.redis.hget(this.k.directory(accountId), `phone:${phone}`);
      if (contact) return this.resolveName(accountId, contact);
      await this.redis.pipeline().hsetnx(this.k.directory(accountId), `phone:${phone}`, phone).hsetnx(this.k.directory(accountId), `id:${phone}`, JSON.stringify({ name: null, phone })).exec();
      return { chatId: phone, kind: 'private', title: phone, phone };
    }
    return this.resolveName(accountId, name);
  }

  /** A contact or group by its id (a contact named by its phone stays that contact). */
  private async resolveName(accountId: string, name: string): Promise<ResolvedAddress> {
    const [chatRaw, contactRaw] = await this.redis.pipeline().hget(this.k.chats(accountId), name).hget(this.k.directory(accountId), `id:${name}`).exec().then((r) => (r ?? []).map(([, v]) => v as string | null));
    const chat = chatRaw ? (JSON.parse(chatRaw) as StoredChat) : null;
    if (chat && chat.kind !== 'private') return { chatId: name, kind: chat.kind, title: chat.title, phone: null };
    const contact = contactRaw ? (JSON.parse(contactRaw) as StoredContact) : null;
    return { chatId: name, kind: 'private', title: contact?.name ?? chat?.title ?? name, phone: contact?.phone ?? null };
  }

  async contact(accountId: string, id: string): Promise<StoredContact | null> {
    const raw = await this.redis.hget(this.k.directory(accountId), `id:${id}`);
    return raw ? (JSON.parse(raw) as StoredContact) : null;
  }

  /** Remembers a contact's name and phone (a phone then resolves to it). Queued on `pipeline`. */
  rememberContact(pipeline: ChainableCommander, accountId: string, id: string, known: StoredContact): void {
    pipeline.hset(this.k.directory(accountId), `id:${id}`, JSON.stringify(known));
    if (known.phone) pipeline.hset(this.k.directory(accountId), `phone:${known.phone}`, id);
  }

  /** Records a message in its chat (newest message, unread count when it came from a contact). Queued on `pipeline`. */
  noteMessage(pipeline: ChainableCommander, accountId: string, chat: SandboxChat, externalId: string, message: SandboxIndexedMessage): void {
    const stored: StoredChat = { title: chat.title, kind: chat.kind, phone: chat.phone ?? null, lastMessageAt: message.at, lastExternalId: externalId };
    pipeline.hset(this.k.chats(accountId), chat.externalId, JSON.stringify(stored));
    pipeline.hset(this.k.messages(accountId), externalId, JSON.stringify(message));
    if (message.from !== null) pipeline.hincrby(this.k.unread(accountId), chat.externalId, 1);
  }

  async message(accountId: string, externalId: string): Promise<SandboxIndexedMessage | null> {
    const raw = await this.redis.hget(this.k.messages(accountId), externalId);
    return raw ? (JSON.parse(raw) as SandboxIndexedMessage) : null;
  }

  async chat(accountId: string, chatId: string): Promise<(StoredChat & { externalId: string }) | null> {
    const raw = await this.redis.hget(this.k.chats(accountId), chatId);
    return raw ? { ...(JSON.parse(raw) as StoredChat), externalId: chatId } : null;
  }

  async markRead(accountId: string, chatId: string): Promise<void> {
    await this.redis.hset(this.k.unread(accountId), chatId, 0);
  }

  async chats(accountId: string): Promise<ChatInfo[]> {
    const [chats, unread] = await Promise.all([this.redis.hgetall(this.k.chats(accountId)), this.redis.hgetall(this.k.unread(accountId))]);
    return Object.entries(chats)
      .map(([externalId, raw]) => {
        const chat = JSON.parse(raw) as StoredChat;
        return {
          externalId,
          title: chat.title,
          kind: chat.kind,
          phone: chat.phone,
          lastMessageAt: chat.lastMessageAt ? new Date(chat.lastMessageAt) : null,
          unreadCount: Number(unread[externalId] ?? 0),
        };
      })
      .sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0));
  }
}
