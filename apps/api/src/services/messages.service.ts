import { randomUUID } from 'node:crypto';
import { MAX_MEDIA_BYTES, type MediaRef, type Message, type SendMessageBody } from '@switchboard/contracts';
import { toMessage, type AccountRepository, type ChatRepository, type ChatRow, type MessageRepository } from '@switchboard/db';
import type { MediaStore } from '@switchboard/messengers';
import { ApiError } from '../http/api-error';
import type { JobDispatcher } from './job-dispatcher';
import { findOwnedAccount } from './owned-account';

export interface MessagesServiceDeps {
  accounts: AccountRepository;
  chats: ChatRepository;
  messages: MessageRepository;
  media: MediaStore;
  jobs: JobDispatcher;
}

export const mediaUrlOf = (sha256: string) => `/v1/media/${sha256}`;

/** Decoded length of canonical base64 (what the body schema accepts), without decoding it. */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

export const QUEUE_UNAVAILABLE_REASON = 'The job queue (Redis) was unavailable, so the message was not sent';

export class MessagesService {
  constructor(private readonly deps: MessagesServiceDeps) {}

  /**
   * Stores the message as `queued` and enqueues its send (job id = message id). A repeated
   * Idempotency-Key returns the first message and enqueues nothing.
   */
  async send(tenantId: string, accountId: string, body: SendMessageBody, idempotencyKey: string | null): Promise<Message> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const mediaBytes = body.media ? this.decodeMedia(body.media.data) : null;
    const chat = await this.resolveChat(accountId, body);
    let media: MediaRef | null = null;
    if (body.media && mediaBytes) {
      const sha256 = await this.deps.media.put(mediaBytes);
      media = { mimeType: body.media.mimeType, filename: body.media.filename ?? null, size: mediaBytes.length, url: mediaUrlOf(sha256) };
    }
    const { row, created } = await this.deps.messages.createOutgoing({
      id: randomUUID(),
      accountId,
      chatId: chat.id,
      text: body.text ?? null,
      media,
      idempotencyKey,
    });
    if (!created) return toMessage(row);
    try {
      await this.deps.jobs.dispatch('message.send', { accountId, messageId: row.id });
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

  private async resolveChat(accountId: string, body: SendMessageBody): Promise<ChatRow> {
    if (body.to !== undefined) return this.deps.chats.ensure(accountId, body.to);
    const chat = await this.deps.chats.findForAccount(accountId, body.chatId as string);
    if (!chat) throw ApiError.notFound('Chat');
    return chat;
  }
}
