import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@switchboard/contracts';
import { TickBatcher, toChat, toMessage, type Database } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { IncomingMessage } from '@switchboard/messengers';
import type { LiveAccount } from '../accounts/live-account';
import type { IncomingWriteGuard } from './incoming-write-guard';
import type { MediaDownloads } from './media-downloads';

interface Delivery {
  live: LiveAccount;
  messages: IncomingMessage[];
}

const keyOf = (accountId: string, chatId: string, externalId: string) => `${accountId}\u0000${chatId}\u0000${externalId}`;

/**
 * Stores incoming messages and publishes them. Calls arriving in the same tick are written
 * together (one chat upsert, one message insert, one pipelined publish), because single-row
 * inserts cap throughput far below what a busy worker receives. A duplicate provider id is
 * dropped by the unique key (account, chat, provider message id), never by an in-memory cache,
 * so a message reported twice (live and by a catch-up) is stored and published once.
 * Every statement is fenced by the writer's lease, and a delivery whose rows PostgreSQL refuses
 * fails alone: the other deliveries of the tick are stored. Media is stored `pending` (or
 * `too_large`) and downloaded afterwards.
 */
export class IncomingMessageService {
  // Up to 2,000 messages a statement: well under PostgreSQL's 65,535 bind parameters.
  private readonly batcher = new TickBatcher<Delivery, void>(
    async (batch) => {
      await this.guard.write(batch, (part) => this.write(part));
      return batch.map(() => undefined);
    },
    { maxBatch: 2_000, weightOf: (delivery) => delivery.messages.length },
  );

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
    private readonly guard: IncomingWriteGuard,
    private readonly media: MediaDownloads,
  ) {}

  store(live: LiveAccount, messages: IncomingMessage[]): Promise<void> {
    if (live.fenced || messages.length === 0) return Promise.resolve();
    return this.batcher.add({ live, messages: this.guard.storable(live.ref.id, messages) });
  }

  private async write(batch: Delivery[]): Promise<void> {
    // A session fenced since it reported: its messages are the new owner's to store.
    const entries = batch.filter((p) => !p.live.fenced).flatMap((p) => p.messages.map((m) => ({ live: p.live, m })));
    if (entries.length === 0) return;
    const chats = await this.db.chats.recordActivity(
      entries.map(({ live, m }) => ({
        accountId: live.ref.id,
        externalId: m.chat.externalId,
        title: m.chat.title,
        kind: m.chat.kind,
        phone: m.chat.phone ?? null,
        at: m.sentAt,
        unreadDelta: 0,
        fence: live.token,
      })),
    );
    const chatIdOf = new Map(chats.map((c) => [`${c.accountId}\u0000${c.externalId}`, c.id]));
    // Messages whose chat was not written (the account was deleted, or a newer owner claimed it).
    const storable = entries
      .map((entry) => ({ ...entry, chatId: chatIdOf.get(`${entry.live.ref.id}\u0000${entry.m.chat.externalId}`) }))
      .filter((entry): entry is typeof entry & { chatId: string } => entry.chatId !== undefined);
    const inserted = await this.db.messages.insertIncoming(
      storable.map(({ live, m, chatId }) => ({
        id: randomUUID(),
        accountId: live.ref.id,
        chatId,
        externalId: m.externalId,
        origin: m.origin,
        sender: m.sender,
        type: m.type,
        text: m.text,
        media: m.media ? this.media.initial(m.media) : null,
        replyToExternalId: m.replyTo,
        forwarded: m.forwarded,
        sentAt: m.sentAt,
        fence: live.token,
      })),
    );
    if (inserted.length === 0) return;
    const reported = new Map(storable.map((e) => [keyOf(e.live.ref.id, e.chatId, e.m.externalId), e]));
    const tokenOf = new Map(batch.map((p) => [p.live.ref.id, p.live.token]));
    // Only what contacts wrote is unread; what the account wrote elsewhere is not.
    const unread = new Map<string, { chatId: string; count: number; at: Date; fence: string | null }>();
    for (const row of inserted) {
      const u = unread.get(row.chatId) ?? { chatId: row.chatId, count: 0, at: row.sentAt ?? row.createdAt, fence: tokenOf.get(row.accountId) ?? null };
      if (row.direction === 'in') u.count += 1;
      if (row.sentAt && row.sentAt > u.at) u.at = row.sentAt;
      unread.set(row.chatId, u);
    }
    const updatedChats = await this.db.chats.addUnread([...unread.values()]);
    const tenantOf = new Map(batch.map((p) => [p.live.ref.id, p.live.ref.tenantId]));
    const at = new Date().toISOString();
    const events: DomainEvent[] = [
      ...inserted.map((row) => ({ kind: 'message.received' as const, tenantId: tenantOf.get(row.accountId) as string, accountId: row.accountId, at, data: toMessage(row) })),
      ...updatedChats.map((chat) => ({ kind: 'chat.updated' as const, tenantId: tenantOf.get(chat.accountId) as string, accountId: chat.accountId, at, data: toChat(chat) })),
    ];
    await this.publisher.publish(events);
    for (const row of inserted) {
      const source = reported.get(keyOf(row.accountId, row.chatId, row.externalId as string));
      if (source?.m.media && row.media?.state === 'pending') this.media.schedule(source.live, row.id, source.m.media);
    }
  }
}
