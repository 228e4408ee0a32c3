import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { ChatKind } from '@switchboard/contracts';
import type { ChatRow } from '../entities';
import { decodeCursor, encodeCursor } from './page-cursor';
import { chatRowFromSql, type SqlRow } from './row-mappers';

export interface ChatActivity {
  accountId: string;
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone?: string | null;
  at: Date;
  /** How many unread messages this activity adds (incoming: 1 each; outgoing: 0). */
  unreadDelta: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class ChatRepository {
  constructor(private readonly knex: Knex) {}

  async findForAccount(accountId: string, id: string): Promise<ChatRow | null> {
    const row = await this.knex('chat').where({ id, account_id: accountId }).first();
    return row ? chatRowFromSql(row) : null;
  }

  async findByExternalId(accountId: string, externalId: string): Promise<ChatRow | null> {
    const row = await this.knex('chat').where({ account_id: accountId, external_id: externalId }).first();
    return row ? chatRowFromSql(row) : null;
  }

  /** Creates the chat when missing (a send to a new address); an existing chat is kept as is. */
  async ensure(accountId: string, externalId: string): Promise<ChatRow> {
    const [chat] = await this.ensureMany([{ accountId, externalId }]);
    return chat as ChatRow;
  }

  /** `ensure` for many (account, address) pairs at once: one read, one insert for the new ones. */
  async ensureMany(pairs: readonly { accountId: string; externalId: string }[]): Promise<ChatRow[]> {
    if (pairs.length === 0) return [];
    const keyOf = (accountId: string, externalId: string) => `${accountId}\u0000${externalId}`;
    const unique = [...new Map(pairs.map((p) => [keyOf(p.accountId, p.externalId), p])).values()];
    const found = new Map<string, ChatRow>();
    const read = async (wanted: typeof unique) => {
      const rows = await this.knex('chat').whereIn(['account_id', 'external_id'], wanted.map((p) => [p.accountId, p.externalId]));
      for (const row of rows.map(chatRowFromSql)) found.set(keyOf(row.accountId, row.externalId), row);
    };
    await read(unique);
    const missing = unique.filter((p) => !found.has(keyOf(p.accountId, p.externalId)));
    if (missing.length > 0) {
      await this.knex('chat')
        .insert(
          missing.map((p) => ({
            id: randomUUID(),
            account_id: p.accountId,
            external_id: p.externalId,
            title: p.externalId,
            kind: 'private',
            unread_count: 0,
            created_at: new Date(),
          })),
        )
        .onConflict(['account_id', 'external_id'])
        .ignore();
      await read(missing);
    }
    return pairs.map((p) => {
      const chat = found.get(keyOf(p.accountId, p.externalId));
      if (!chat) throw new Error('chat vanished between insert and select');
      return chat;
    });
  }

  /**
   * Upserts the chats of a batch of activity in one statement; returns each chat as it is now.
   * Several activities of one chat in a batch are folded first (PostgreSQL refuses to update a
   * row twice in one INSERT … ON CONFLICT).
   */
  async recordActivity(activities: readonly ChatActivity[]): Promise<ChatRow[]> {
    if (activities.length === 0) return [];
    const folded = new Map<string, ChatActivity>();
    for (const a of activities) {
      const key = `${a.accountId}\u0000${a.externalId}`;
      const prev = folded.get(key);
      folded.set(
        key,
        prev
          ? { ...a, title: a.title ?? prev.title, at: a.at > prev.at ? a.at : prev.at, unreadDelta: prev.unreadDelta + a.unreadDelta }
          : a,
      );
    }
    const rows = [...folded.values()].map((a) => ({
      id: randomUUID(),
      account_id: a.accountId,
      external_id: a.externalId,
      title: a.title,
      kind: a.kind,
      phone: a.phone ?? null,
      last_message_at: a.at,
      unread_count: a.unreadDelta,
      created_at: new Date(),
    }));
    const result = await this.knex('chat')
      .insert(rows)
      .onConflict(['account_id', 'external_id'])
      .merge({
        title: this.knex.raw('coalesce(excluded.title, chat.title)'),
        phone: this.knex.raw('coalesce(excluded.phone, chat.phone)'),
        last_message_at: this.knex.raw('greatest(chat.last_message_at, excluded.last_message_at)'),
        unread_count: this.knex.raw('chat.unread_count + excluded.unread_count'),
      })
      .returning('*');
    return (result as SqlRow[]).map(chatRowFromSql);
  }

  /**
   * Adds unread messages to chats and moves their last activity forward, in one statement;
   * returns the chats as they are now.
   */
  async addUnread(updates: readonly { chatId: string; count: number; at: Date }[]): Promise<ChatRow[]> {
    if (updates.length === 0) return [];
    const values = updates.map(() => '(?::uuid, ?::int, ?::timestamptz)').join(', ');
    const result = await this.knex.raw(
      `update chat set unread_count = chat.unread_count + v.n,
         last_message_at = greatest(chat.last_message_at, v.at)
       from (values ${values}) as v(id, n, at)
       where chat.id = v.id
       returning chat.*`,
      updates.flatMap((u) => [u.chatId, u.count, u.at]),
    );
    return ((result as { rows: SqlRow[] }).rows ?? []).map(chatRowFromSql);
  }

  /** Latest activity first; chats without messages last. */
  async listForAccount(accountId: string, limit: number, cursor?: string): Promise<Page<ChatRow> | null> {
    const query = this.knex('chat').where({ account_id: accountId });
    if (cursor) {
      const position = decodeCursor(cursor);
      if (!position) return null;
      // Order: (last_message_at desc nulls last, id desc). Rows after the cursor in that order:
      if (position.at) {
        query.andWhere((q) =>
          q
            .where('last_message_at', '<', position.at as Date)
            .orWhere((q2) => q2.where('last_message_at', '=', position.at as Date).andWhere('id', '<', position.id))
            .orWhereNull('last_message_at'),
        );
      } else {
        query.whereNull('last_message_at').andWhere('id', '<', position.id);
      }
    }
    const rows = (await query.orderByRaw('last_message_at desc nulls last, id desc').limit(limit + 1)).map(chatRowFromSql);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.lastMessageAt, id: last.id }) : null,
    };
  }
}
