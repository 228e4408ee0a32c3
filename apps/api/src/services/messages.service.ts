import { randomUUID } from 'node:crypto';
import { MAX_MEDIA_BYTES, mediaUrlOf, type MediaRef, type Message, type MessageType, type SendMessageBody } from '@switchboard/contracts';
import { TickBatcher, toMessage, type AccountRepository, type AccountRow, type ChatRepository, type ChatRow, type MessageRepository } from '@switchboard/db';
import type { MediaStore } from '@switchboard/messengers';
import { ApiError } from '../http/api-error';
import { assertSameSend } from './idempotent-repeat';
import type { JobDispatcher } from './job-dispatcher';
import { TtlCache } from './ttl-cache';

export interface MessagesServiceDeps {
  accounts: AccountRepository;
  chats: ChatRepository;
  messages: MessageRepository;
  media: MediaStore;
  jobs: JobDispatcher;
}


/** The message type an upload's MIME type makes (API.md `type`). */
export function messageTypeOfMime(mimeType: string): MessageType {
  const family = mimeType.split('/')[0]?.toLowerCase();
  if (family === 'image' || family === 'video' || family === 'audio') return family;
  return 'document';
}

/** Decoded length of canonical base64 (what the body schema accepts), without decoding it. */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

const CACHE_TTL_MS = 10_000;
const FOREIGN_KEY_VIOLATION = '23503';

export const QUEUE_UNAVAILABLE_REASON = 'The job queue (Redis) was unavailable, so the message was not sent';

type NewOutgoing = Parameters<MessageRepository['createManyOutgoing']>[0][number];

/**
 * Sends arriving together share their round trips: one account read, one chat read (and insert),
 * one message insert (one commit) and one enqueue per partition for every request of a tick.
 * Under load this is what keeps PostgreSQL and Redis from paying per message.
 */
export class MessagesService {
  private readonly accounts: TickBatcher<string, AccountRow | null>;
  private readonly chats: TickBatcher<{ accountId: string; externalId: string }, ChatRow>;
  private readonly writes: TickBatcher<NewOutgoing, { row: Awaited<ReturnType<MessageRepository['createManyOutgoing']>>[number]['row']; created: boolean }>;

  /** Account → tenant and (account, address) → chat never change while they exist. */
  private readonly tenantOfAccount = new TtlCache<string, string>(CACHE_TTL_MS);
  private readonly chatIds = new TtlCache<string, ChatRow>(CACHE_TTL_MS);

  constructor(private readonly deps: MessagesServiceDeps) {
    this.accounts = new TickBatcher((ids) => deps.accounts.findManyByIds(ids));
    this.chats = new TickBatcher((pairs) => deps.chats.ensureMany(pairs));
    this.writes = new TickBatcher((inputs) => deps.messages.createManyOutgoing(inputs));
  }

  /**
   * Stores the message as `queued` and enqueues its send (job id = message id). A repeated
   * Idempotency-Key returns the first message and enqueues nothing.
   */
  async send(tenantId: string, accountId: string, body: SendMessageBody, idempotencyKey: string | null): Promise<Message> {
    await this.checkOwnership(tenantId, accountId);
    const mediaBytes = body.media ? this.decodeMedia(body.media.data) : null;
    const chat = await this.resolveChat(accountId, body);
    const replyTo = body.replyTo === undefined ? null : await this.replyTarget(chat, body.replyTo);
    let media: MediaRef | null = null;
    if (body.media && mediaBytes) {
      const sha256 = await this.deps.media.put(mediaBytes);
      media = { mimeType: body.media.mimeType, filename: body.media.filename ?? null, size: mediaBytes.length, url: mediaUrlOf(sha256), state: 'ready' };
    }
    const insert = (into: ChatRow) =>
      this.writes.add({
        id: randomUUID(),
        accountId,
        chatId: into.id,
        text: body.text ?? null,
        media,
        idempotencyKey,
        origin: 'api',
        type: body.media ? messageTypeOfMime(body.media.mimeType) : 'text',
        replyToMessageId: replyTo?.id ?? null,
        replyToExternalId: replyTo?.externalId ?? null,
      });
    const { row, created } = await insert(chat).catch(async (error: unknown) => {
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      // The chat or the account went since the cached lookups: a worker merged the chat into its
      // person's chat (one person, one chat), or the account was deleted.
      this.tenantOfAccount.delete(accountId);
      this.chatIds.delete(`${accountId}\u0000${body.to}`);
      if (!(await this.accounts.add(accountId))) throw ApiError.notFound('Account');
      return insert(await this.resolveChat(accountId, body));
    });
    if (!created) {
      assertSameSend({ chatId: row.chatId, text: row.text, media: row.media }, { chatId: chat.id, text: body.text ?? null, media });
      return toMessage(row);
    }
    try {
      await this.deps.jobs.dispatchSend({ accountId, messageId: row.id });
    } catch (error) {
      await this.deps.messages.markFailed(row.id, QUEUE_UNAVAILABLE_REASON);
      if (error instanceof ApiError) {
        throw ApiError.unavailable(`${error.message}; message ${row.id} was marked failed`);
      }
      throw error;
    }
    return toMessage(row);
  }

  async get(tenantId: string, messageId: string): Promise<Message> {
    const row = await this.deps.messages.findForTenant(tenantId, messageId);
    if (!row) throw ApiError.notFound('Message');
    return toMessage(row);
  }

  /** The message replied to: one of the same chat, already at the provider (it has an id there). */
  private async replyTarget(chat: ChatRow, messageId: string): Promise<{ id: string; externalId: string }> {
    const target = await this.deps.messages.findById(messageId);
    if (!target || target.chatId !== chat.id) {
      throw ApiError.unprocessable('The message replied to is not a message of this chat', [
        { path: 'replyTo', message: 'must be the id of a message of the same chat' },
      ]);
    }
    if (target.externalId === null) {
      throw ApiError.conflict('The message replied to is not sent yet', [{ path: 'replyTo', message: 'the message replied to is not sent yet' }]);
    }
    return { id: target.id, externalId: target.externalId };
  }

  private decodeMedia(base64: string): Buffer {
    const size = base64DecodedLength(base64);
    if (size > MAX_MEDIA_BYTES) {
      throw ApiError.payloadTooLarge('The media is too large', [
        { path: 'media.data', message: `decodes to ${size} bytes; the limit is ${MAX_MEDIA_BYTES} bytes (16 MB)` },
      ]);
    }
    if (size === 0) throw ApiError.validation('The media is empty', [{ path: 'media.data', message: 'is empty' }]);
    return Buffer.from(base64, 'base64');
  }

  private async checkOwnership(tenantId: string, accountId: string): Promise<void> {
    let owner = this.tenantOfAccount.get(accountId);
    if (owner === undefined) {
      const account = await this.accounts.add(accountId);
      if (!account) throw ApiError.notFound('Account');
      owner = account.tenantId;
      this.tenantOfAccount.set(accountId, owner);
    }
    if (owner !== tenantId) throw ApiError.notFound('Account');
  }

  private async resolveChat(accountId: string, body: SendMessageBody): Promise<ChatRow> {
    if (body.to !== undefined) {
      const key = `${accountId}\u0000${body.to}`;
      const cached = this.chatIds.get(key);
      if (cached) return cached;
      const chat = await this.chats.add({ accountId, externalId: body.to });
      this.chatIds.set(key, chat);
      return chat;
    }
    const chat = await this.deps.chats.findForAccount(accountId, body.chatId as string);
    if (!chat) throw ApiError.notFound('Chat');
    return chat;
  }
}
