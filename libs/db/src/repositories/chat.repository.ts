import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { ChatKind } from '@switchboard/contracts';
import type { ChatRow, MessageRow } from '../entities';
import { decodeCursor, encodeCursor } from './page-cursor';
import { chatRowFromSql, messageRowFromSql, type SqlRow } from './row-mappers';

export interface ChatActivity {
  accountId: string;
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone?: string | null;
  at: Date;
  /** How many unread messages this activity adds (incoming: 1 each; outgoing: 0). */
  unreadDelta: number;
  /** The writer's lease token; absent for a writer outside the ownership model (tests, tools). */
  fence?: string | null;
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
    // An address the provider already resolved leads to its person's chat (one person, one chat).
    const aliased = await this.knex('chat_address')
      .join('chat', 'chat.id', 'chat_address.chat_id')
      .whereIn(['chat_address.account_id', 'chat_address.address'], unique.map((p) => [p.accountId, p.externalId]))
      .select('chat.*', { alias: 'chat_address.address' });
    for (const row of aliased as SqlRow[]) found.set(keyOf(row.account_id as string, row.alias as string), chatRowFromSql(row));
    await read(unique.filter((p) => !found.has(keyOf(p.accountId, p.externalId))));
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
   * row twice in one INSERT … ON CONFLICT). Activity of an account that was deleted, or that a
   * newer owner than the writer (`fence`) has claimed, is left out.
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
    const rows = [...folded.values()];
    const values = rows.map(() => '(?::uuid, ?::uuid, ?::text, ?::text, ?::text, ?::text, ?::timestamptz, ?::int, ?::bigint)').join(', ');
    const result = await this.knex.raw(
      `insert into chat (id, account_id, external_id, title, kind, phone, last_message_at, unread_count, created_at)
       select v.id, v.account_id, v.external_id, v.title, v.kind, v.phone, v.at, v.n, now()
       from (values ${values}) as v(id, account_id, external_id, title, kind, phone, at, n, fence)
       join account a on a.id = v.account_id and (v.fence is null or a.fence <= v.fence)
       on conflict (account_id, external_id) do update set
         title = coalesce(excluded.title, chat.title),
         phone = coalesce(excluded.phone, chat.phone),
         last_message_at = greatest(chat.last_message_at, excluded.last_message_at),
         unread_count = chat.unread_count + excluded.unread_count
       returning *`,
      rows.flatMap((a) => [randomUUID(), a.accountId, a.externalId, a.title, a.kind, a.phone ?? null, a.at, a.unreadDelta, a.fence ?? null]),
    );
    return ((result as { rows: SqlRow[] }).rows ?? []).map(chatRowFromSql);
  }

  /**
   * Adds unread messages to chats and moves their last activity forward, in one statement, under
   * the writer's lease; returns the chats as they are now.
   */
  async addUnread(updates: readonly { chatId: string; count: number; at: Date; fence: string | null }[]): Promise<ChatRow[]> {
    if (updates.length === 0) return [];
    const values = updates.map(() => '(?::uuid, ?::int, ?::timestamptz, ?::bigint)').join(', ');
    const result = await this.knex.raw(
      `update chat set unread_count = chat.unread_count + v.n,
         last_message_at = greatest(chat.last_message_at, v.at)
       from (values ${values}) as v(id, n, at, fence), account a
       where chat.id = v.id and a.id = chat.account_id and (v.fence is null or a.fence <= v.fence)
       returning chat.*`,
      updates.flatMap((u) => [u.chatId, u.count, u.at, u.fence]),
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

  /**
   * The provider resolved the address a chat was opened with (`provisional.externalId`) to its
   * canonical chat: that chat is found or made (with the phone beside it), the address is
   * remembered, and when they differ the provisional chat's messages move there and it goes.
   * Under the writer's lease; null when refused. Returns the canonical chat and the moved messages.
   */
  async adopt(
    provisional: ChatRow,
    resolved: { externalId: string; kind: ChatKind; title: string | null; phone: string | null },
    fence: string,
  ): Promise<{ chat: ChatRow; moved: MessageRow[] } | null> {
    return this.knex.transaction(async (trx) => {
      const owner = await trx('account').where({ id: provisional.accountId }).andWhere('fence', '<=', fence).forShare().first('id');
      if (!owner) return null;
      const [canonical] = (await trx('chat')
        .insert({
          id: randomUUID(),
          account_id: provisional.accountId,
          external_id: resolved.externalId,
          title: resolved.title ?? resolved.externalId,
          kind: resolved.kind,
          phone: resolved.phone,
          unread_count: 0,
          created_at: new Date(),
        })
        .onConflict(['account_id', 'external_id'])
        .merge({ phone: trx.raw('coalesce(excluded.phone, chat.phone)'), title: trx.raw('coalesce(chat.title, excluded.title)') })
        .returning('*')) as SqlRow[];
      const chat = chatRowFromSql(canonical as SqlRow);
      if (chat.id !== provisional.id) {
        await trx('chat_address')
          .insert({ account_id: provisional.accountId, address: provisional.externalId, chat_id: chat.id })
          .onConflict(['account_id', 'address'])
          .merge({ chat_id: chat.id });
        const moved = (await trx('message').where({ chat_id: provisional.id }).update({ chat_id: chat.id }).returning('*')) as SqlRow[];
        await trx('chat_address').where({ chat_id: provisional.id }).update({ chat_id: chat.id });
        await trx('chat').where({ id: provisional.id }).delete();
        const [merged] = (await trx('chat')
          .where({ id: chat.id })
          .update({ last_message_at: trx.raw('greatest(last_message_at, ?::timestamptz)', [provisional.lastMessageAt]) })
          .returning('*')) as SqlRow[];
        return { chat: chatRowFromSql(merged as SqlRow), moved: moved.map(messageRowFromSql) };
      }
      return { chat, moved: [] };
    });
  }

  /** The chat was read (on the phone, or through the API): its unread count is 0. Under the lease. */
  async markRead(accountId: string, externalId: string, fence: string): Promise<ChatRow | null> {
    const result = await this.knex.raw(
      `update chat set unread_count = 0 from account a
       where chat.account_id = ? and chat.external_id = ? and a.id = chat.account_id and a.fence <= ?::bigint
       returning chat.*`,
      [accountId, externalId, fence],
    );
    const [row] = (result as { rows: SqlRow[] }).rows;
    return row ? chatRowFromSql(row) : null;
  }

  /**
   * The provider's chat list: titles, kinds, phones and unread counts as the provider says, last
   * activity only forward. Under the writer's lease; returns the chats as they are now.
   */
  async applyList(
    accountId: string,
    chats: readonly { externalId: string; title: string | null; kind: ChatKind; phone: string | null; lastMessageAt: Date | null; unreadCount: number }[],
    fence: string,
  ): Promise<ChatRow[]> {
    if (chats.length === 0) return [];
    const values = chats.map(() => '(?::uuid, ?::text, ?::text, ?::text, ?::text, ?::timestamptz, ?::int)').join(', ');
    const result = await this.knex.raw(
      `insert into chat (id, account_id, external_id, title, kind, phone, last_message_at, unread_count, created_at)
       select v.id, a.id, v.external_id, v.title, v.kind, v.phone, v.at, v.n, now()
       from (values ${values}) as v(id, external_id, title, kind, phone, at, n)
       join account a on a.id = ? and a.fence <= ?::bigint
       on conflict (account_id, external_id) do update set
         title = coalesce(excluded.title, chat.title),
         kind = excluded.kind,
         phone = coalesce(excluded.phone, chat.phone),
         last_message_at = greatest(chat.last_message_at, excluded.last_message_at),
         unread_count = excluded.unread_count
       returning *`,
      [...chats.flatMap((c) => [randomUUID(), c.externalId, c.title, c.kind, c.phone, c.lastMessageAt, c.unreadCount]), accountId, fence],
    );
    return ((result as { rows: SqlRow[] }).rows ?? []).map(chatRowFromSql);
  }
}
