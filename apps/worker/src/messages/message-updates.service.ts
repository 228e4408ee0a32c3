import { TickBatcher, toChat, toMessage, type Database, type MessageChange } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { ChatInfo, MessageRef, Reaction } from '@switchboard/messengers';
import type { LiveAccount } from '../accounts/live-account';

/**
 * What happens to messages and chats after they arrived, as a session reports it: edits,
 * deletes for everyone, reactions, chats read elsewhere, the provider's chat list, and the
 * catch-up cursor. Each is written under the reporter's lease, then published. A change to a
 * message this account never stored (older than Switchboard, or of a chat it never saw) is
 * dropped: there is nothing to update.
 */
export class MessageUpdatesService {
  /** Cursors are written often (after every delivery): one statement per tick, last one wins. */
  private readonly cursors = new TickBatcher<{ live: LiveAccount; cursor: string }, void>(async (items) => {
    const last = new Map(items.filter((i) => !i.live.fenced).map((i) => [i.live.ref.id, { accountId: i.live.ref.id, cursor: i.cursor, fence: i.live.token }]));
    await this.db.sessions.saveCursors([...last.values()]);
    return items.map(() => undefined);
  });

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
  ) {}

  edited(live: LiveAccount, ref: MessageRef, text: string | null, at: Date): Promise<void> {
    return this.change(live, ref, { kind: 'edit', text, at });
  }

  revoked(live: LiveAccount, ref: MessageRef, at: Date): Promise<void> {
    return this.change(live, ref, { kind: 'revoke', at });
  }

  reacted(live: LiveAccount, ref: MessageRef, reaction: Reaction): Promise<void> {
    return this.change(live, ref, { kind: 'reaction', reaction: { emoji: reaction.emoji, sender: reaction.sender, at: reaction.at.toISOString() } });
  }

  async chatRead(live: LiveAccount, chatId: string): Promise<void> {
    if (live.fenced) return;
    const chat = await this.db.chats.markRead(live.ref.id, chatId, live.token);
    if (chat) await this.publisher.publishOne('chat.updated', live.ref.tenantId, live.ref.id, toChat(chat));
  }

  async chats(live: LiveAccount, chats: ChatInfo[]): Promise<void> {
    if (live.fenced) return;
    const rows = await this.db.chats.applyList(
      live.ref.id,
      chats.map((c) => ({ externalId: c.externalId, title: c.title, kind: c.kind, phone: c.phone ?? null, lastMessageAt: c.lastMessageAt, unreadCount: c.unreadCount })),
      live.token,
    );
    const at = new Date().toISOString();
    await this.publisher.publish(rows.map((chat) => ({ kind: 'chat.updated' as const, tenantId: live.ref.tenantId, accountId: live.ref.id, at, data: toChat(chat) })));
  }

  catchUpCursor(live: LiveAccount, cursor: string): Promise<void> {
    if (live.fenced) return Promise.resolve();
    return this.cursors.add({ live, cursor });
  }

  private async change(live: LiveAccount, ref: MessageRef, change: MessageChange): Promise<void> {
    if (live.fenced) return;
    const row = await this.db.messages.applyChange({ accountId: live.ref.id, chatExternalId: ref.chatId, externalId: ref.externalId, fence: live.token }, change);
    if (row) await this.publisher.publishOne('message.updated', live.ref.tenantId, live.ref.id, toMessage(row));
  }
}
