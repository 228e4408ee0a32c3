import type { Chat, Message } from '@switchboard/contracts';
import { toChat, toMessage, type AccountRepository, type ChatRepository, type MessageRepository } from '@switchboard/db';
import { ApiError } from '../http/api-error';
import type { JobDispatcher } from './job-dispatcher';
import { findOwnedAccount } from './owned-account';

export interface PageRequest {
  limit: number;
  /** An opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

const badCursor = (path: string) =>
  ApiError.validation('The cursor is invalid', [{ path, message: 'is not a cursor this API issued' }]);

export class ChatsService {
  constructor(
    private readonly deps: { accounts: AccountRepository; chats: ChatRepository; messages: MessageRepository; jobs: JobDispatcher },
  ) {}

  /** Latest activity first. */
  async listChats(tenantId: string, accountId: string, page: PageRequest): Promise<PageOf<Chat>> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const result = await this.deps.chats.listForAccount(accountId, page.limit, page.cursor);
    if (!result) throw badCursor('cursor');
    return { items: result.items.map(toChat), nextCursor: result.nextCursor };
  }

  /** Newest first; `page.cursor` is the `before` of the query. */
  async listMessages(tenantId: string, accountId: string, chatId: string, page: PageRequest): Promise<PageOf<Message>> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const chat = await this.deps.chats.findForAccount(accountId, chatId);
    if (!chat) throw ApiError.notFound('Chat');
    const result = await this.deps.messages.listForChat(chat.id, page.limit, page.cursor);
    if (!result) throw badCursor('before');
    return { items: result.items.map(toMessage), nextCursor: result.nextCursor };
  }

  /**
   * Enqueues marking the chat read at the provider up to its newest message. The answer is the
   * chat as stored now: its `unreadCount` becomes 0 once the provider has accepted (`chat.updated`).
   */
  async markRead(tenantId: string, accountId: string, chatId: string): Promise<Chat> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const chat = await this.deps.chats.findForAccount(accountId, chatId);
    if (!chat) throw ApiError.notFound('Chat');
    await this.deps.jobs.dispatch('chat.read', { accountId, chatId: chat.id });
    return toChat(chat);
  }
}
