import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  SandboxDeviceSendBody,
  SandboxEditBody,
  SandboxIncomingBody,
  SandboxOutboxItem,
  SandboxReactBody,
  SandboxReadOnPhoneBody,
  SandboxRevokeBody,
} from '@switchboard/contracts';
import { partitionOf, type RedisKeys } from '@switchboard/queue';
import { sandboxDevicesOf, type SandboxDevice } from './sandbox-clients';
import { SandboxDirectory, type SandboxIndexedMessage } from './sandbox-directory';
import { isHistoryEvent, type SandboxChat, type SandboxInbound, type SandboxMediaRef, type SandboxMessageEvent } from './sandbox-events';
import { defineSandboxAppend, SANDBOX_HISTORY_CAP } from './sandbox-history';
import { sandboxAccountPerson } from './sandbox-account';

export type { SandboxInbound } from './sandbox-events';

/** How long the network keeps the bytes of an incoming media item (a client fetches them on arrival). */
export const SANDBOX_MEDIA_TTL_S = 86_400;

export interface SandboxNetworkOptions {
  redis: Redis;
  keys: RedisKeys;
  partitions: number;
}

/** The network has no such message for the account (a 404 for the sandbox routes). */
export class SandboxMessageNotFoundError extends Error {
  override name = 'SandboxMessageNotFoundError';
}

/** The network refuses the action on this message (a 409 for the sandbox routes). */
export class SandboxActionRefusedError extends Error {
  override name = 'SandboxActionRefusedError';
}

const stripAt = (name: string) => name.trim().replace(/^@/, '');

/**
 * The simulated messenger network. It lives in Redis, outside every worker, so an API call
 * reaches whichever worker owns the account, as a real network would. Everything that happens
 * to an account (a contact writes, edits, revokes or reacts; the account's phone writes or reads
 * a chat) is appended to the account's history, which a client catches up on after a restore,
 * and to the account's partition stream, which the owner of the partition reads live. Sends and
 * actions of the account's client are recorded in a per-account outbox.
 */
export class SandboxNetwork {
  private readonly directory: SandboxDirectory;

  constructor(private readonly options: SandboxNetworkOptions) {
    this.directory = new SandboxDirectory(options.redis, options.keys);
  }

  private inboundKey(accountId: string): string {
    return this.options.keys.sandbox.inbound(partitionOf(accountId, this.options.partitions));
  }

  async scan(accountId: string): Promise<void> {
    await this.deliver([{ type: 'scan', accountId }]);
  }

  /**
   * A contact writes to the account (in `group` when given, as a member). Media bytes are kept
   * by the network for a day; `fromName` / `fromPhone` are remembered for the contact.
   */
  async incoming(accountId: string, body: SandboxIncomingBody): Promise<string> {
    const from = stripAt(body.from);
    const known = await this.directory.contact(accountId, from);
    const fromName = body.fromName ?? known?.name ?? null;
    const fromPhone = body.fromPhone ?? known?.phone ?? null;
    if (body.fromName !== undefined || body.fromPhone !== undefined) {
      const pipeline = this.options.redis.pipeline();
      this.directory.rememberContact(pipeline, accountId, from, { name: fromName, phone: fromPhone });
      await exec(pipeline);
    }
    const chat: SandboxChat = body.group
      ? { externalId: body.group.id, title: body.group.title, kind: 'group', phone: null }
      : { externalId: from, title: fromName ?? from, kind: 'private', phone: fromPhone };
    const externalId = `sbx-in-${randomUUID()}`;
    await this.deliver([
      {
        type: 'message',
        accountId,
        externalId,
        origin: 'contact',
        from,
        fromName,
        fromPhone,
        chat,
        text: body.text ?? null,
        media: body.media ? await this.keepMedia(body.media) : null,
        replyTo: body.replyTo ?? null,
        forwarded: body.forwarded ?? false,
        at: new Date().toISOString(),
      },
    ]);
    return externalId;
  }

  private async keepMedia(media: NonNullable<SandboxIncomingBody['media']>): Promise<SandboxMediaRef> {
    const id = randomUUID();
    const bytes = Buffer.from(media.data, 'base64');
    await this.options.redis.set(this.options.keys.sandbox.media(id), bytes, 'EX', SANDBOX_MEDIA_TTL_S);
    return { id, mimeType: media.mimeType, filename: media.filename ?? null, size: bytes.length };
  }

  /** The account's own phone writes to `to` (a name, `@name`, a phone or a group id): its client reports it as `device`. */
  async deviceSend(accountId: string, body: SandboxDeviceSendBody): Promise<string> {
    const to = await this.directory.resolve(accountId, body.to);
    const me = sandboxAccountPerson(accountId);
    const externalId = `sbx-dev-${randomUUID()}`;
    await this.deliver([
      {
        type: 'message',
        accountId,
        externalId,
        origin: 'device',
        from: me.id,
        fromName: me.name,
        chat: { externalId: to.chatId, title: to.title, kind: to.kind, phone: to.phone },
        text: body.text,
        at: new Date().toISOString(),
      },
    ]);
    return externalId;
  }

  /** The contact who wrote `externalId` edits it. */
  async edit(accountId: string, body: SandboxEditBody): Promise<void> {
    const message = await this.contactsMessage(accountId, body.externalId, 'edit');
    await this.deliver([{ type: 'edit', accountId, chatId: message.chatId, externalId: body.externalId, text: body.text, at: new Date().toISOString() }]);
  }

  /** The contact who wrote `externalId` deletes it for everyone. */
  async revoke(accountId: string, body: SandboxRevokeBody): Promise<void> {
    const message = await this.contactsMessage(accountId, body.externalId, 'delete');
    await this.deliver([{ type: 'revoke', accountId, chatId: message.chatId, externalId: body.externalId, at: new Date().toISOString() }]);
  }

  /** A contact reacts to any message of the account (an empty emoji removes its reaction). */
  async react(accountId: string, body: SandboxReactBody): Promise<void> {
    const message = await this.messageOf(accountId, body.externalId);
    const from = stripAt(body.from);
    const contact = await this.directory.contact(accountId, from);
    await this.deliver([
      {
        type: 'react',
        accountId,
        chatId: message.chatId,
        externalId: body.externalId,
        from,
        fromName: contact?.name ?? null,
        fromPhone: contact?.phone ?? null,
        emoji: body.emoji,
        at: new Date().toISOString(),
      },
    ]);
  }

  /** The account reads the chat on its phone: its unread count is 0, and its client hears it. */
  async readOnPhone(accountId: string, body: SandboxReadOnPhoneBody): Promise<void> {
    const chat = await this.directory.resolve(accountId, body.chat);
    await this.deliver([{ type: 'read', accountId, chatId: chat.chatId, at: new Date().toISOString() }]);
  }

  private async messageOf(accountId: string, externalId: string): Promise<SandboxIndexedMessage> {
    const message = await this.directory.message(accountId, externalId);
    if (!message) throw new SandboxMessageNotFoundError(`The sandbox network has no message "${externalId}" for this account.`);
    return message;
  }

  private async contactsMessage(accountId: string, externalId: string, action: string): Promise<SandboxIndexedMessage> {
    const message = await this.messageOf(accountId, externalId);
    if (message.from === null) throw new SandboxActionRefusedError(`A contact can only ${action} its own messages: "${externalId}" was written by the account.`);
    return message;
  }

  /**
   * Appends deliveries in one round trip (the benchmark uses batches): events into the account's
   * history and its partition stream, phone scans and logouts into the partition stream only
   * (they mean something to a client waiting now, never to a later one).
   */
  async deliver(items: readonly SandboxInbound[]): Promise<void> {
    const redis = defineSandboxAppend(this.options.redis);
    const pipeline = redis.pipeline() as ReturnType<Redis['pipeline']> & { sandboxAppend(history: string, inbound: string, event: string, cap: number): unknown };
    for (const item of items) {
      if (!isHistoryEvent(item)) {
        pipeline.xadd(this.inboundKey(item.accountId), '*', 'm', JSON.stringify(item));
        continue;
      }
      if (item.type === 'message') this.noteMessage(pipeline, item);
      if (item.type === 'read') pipeline.hset(this.options.keys.sandbox.unread(item.accountId), item.chatId, 0);
      pipeline.sandboxAppend(this.options.keys.sandbox.history(item.accountId), this.inboundKey(item.accountId), JSON.stringify(item), SANDBOX_HISTORY_CAP);
    }
    await exec(pipeline);
  }

  private noteMessage(pipeline: ReturnType<Redis['pipeline']>, item: SandboxMessageEvent): void {
    const chat = item.chat ?? { externalId: item.from, title: item.fromName ?? item.from, kind: 'private' as const, phone: item.fromPhone ?? null };
    const from = item.origin === 'device' ? null : item.from;
    this.directory.noteMessage(pipeline, item.accountId, chat, item.externalId, { chatId: chat.externalId, from, at: item.at });
  }

  async outbox(accountId: string): Promise<SandboxOutboxItem[]> {
    const raw = await this.options.redis.lrange(this.options.keys.sandbox.outbox(accountId), 0, -1);
    return raw.map((entry) => JSON.parse(entry) as SandboxOutboxItem);
  }

  /**
   * The phone removes the linked device (WhatsApp "log out of this device", Telegram "terminate
   * session"): the stored session stops working, and a connected client hears it at once.
   */
  async logoutFromPhone(accountId: string): Promise<void> {
    await this.options.redis.del(this.options.keys.sandbox.device(accountId));
    await this.deliver([{ type: 'logout', accountId }]);
  }

  /** The clients of the account connected now (at most one) and the conflicts counted so far. */
  devices(accountId: string): Promise<{ items: SandboxDevice[]; conflicts: number }> {
    return sandboxDevicesOf(this.options.redis, this.options.keys, accountId);
  }

  /** Ends the account's device session at the network (a logout): its client is disconnected. */
  async logout(accountId: string): Promise<void> {
    const k = this.options.keys.sandbox;
    await this.options.redis.del(k.device(accountId), k.client(accountId));
  }

  /** Forgets everything the network holds for an account (the account was deleted; media expire by themselves). */
  async forget(accountId: string): Promise<void> {
    const k = this.options.keys.sandbox;
    await this.options.redis.del(
      k.outbox(accountId),
      k.sentIndex(accountId),
      k.history(accountId),
      k.directory(accountId),
      k.chats(accountId),
      k.unread(accountId),
      k.messages(accountId),
      k.device(accountId),
      k.client(accountId),
      k.conflicts(accountId),
    );
  }
}

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
}
