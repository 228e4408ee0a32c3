import type { Knex } from '@mikro-orm/postgresql';
import type { ChatKind, MediaRef, MessageStatus } from '@switchboard/contracts';
import type { ChatRow, MessageRow } from '../entities';
import { decodeMicrosCursor, encodeMicrosCursor } from './page-cursor';
import type { Page } from './chat.repository';
import { chatRowFromSql, messageRowFromSql, type SqlRow } from './row-mappers';

export interface NewOutgoingMessage {
  id: string;
  accountId: string;
  chatId: string;
  text: string | null;
  media: MediaRef | null;
  idempotencyKey: string | null;
}

export interface NewIncomingMessage {
  id: string;
  accountId: string;
  chatId: string;
  externalId: string;
  text: string | null;
  media: MediaRef | null;
  sentAt: Date;
}

/** Statuses only move forward: a late `delivered` never overwrites `read`. */
const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4, received: 0 };
const statusesBelow = (status: MessageStatus) =>
  (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => s !== 'failed' && s !== 'received' && STATUS_RANK[s] < STATUS_RANK[status]);

export class MessageRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Stores an outgoing message as `queued`. With an idempotency key, a repeat returns the
   * first message and `created: false` (the unique key decides, not a read-then-write race).
   */
  async createOutgoing(input: NewOutgoingMessage): Promise<{ row: MessageRow; created: boolean }> {
    const [answer] = await this.createManyOutgoing([input]);
    return answer as { row: MessageRow; created: boolean };
  }

  /**
   * Many outgoing messages in one statement (one commit). Each answer says whether that message
   * was created, or is the first message of a repeated idempotency key.
   */
  async createManyOutgoing(inputs: readonly NewOutgoingMessage[]): Promise<{ row: MessageRow; created: boolean }[]> {
    if (inputs.length === 0) return [];
    // Each row gets its own clock reading, so messages created together keep their order.
    const now = this.knex.raw('clock_timestamp()');
    const inserted = (await this.knex('message')
      .insert(
        inputs.map((input) => ({
          id: input.id,
          account_id: input.accountId,
          chat_id: input.chatId,
          direction: 'out',
          text: input.text,
          media: input.media ? JSON.stringify(input.media) : null,
          status: 'queued',
          created_at: now,
          idempotency_key: input.idempotencyKey,
        })),
      )
      .onConflict(['account_id', 'idempotency_key'])
      .ignore()
      .returning('*')) as SqlRow[];
    const created = new Map(inserted.map((r) => [r.id as string, messageRowFromSql(r)]));
    const repeats = inputs.filter((i) => !created.has(i.id));
    const firsts = new Map<string, MessageRow>();
    if (repeats.length > 0) {
      const rows = await this.knex('message').whereIn(
        ['account_id', 'idempotency_key'],
        repeats.map((r) => [r.accountId, r.idempotencyKey as string]),
      );
      for (const row of rows) firsts.set(`${row.account_id}\u0000${row.idempotency_key}`, messageRowFromSql(row));
    }
    return inputs.map((input) => {
      const row = created.get(input.id);
      if (row) return { row, created: true };
      const first = firsts.get(`${input.accountId}\u0000${input.idempotencyKey}`);
      if (!first) throw new Error('idempotent message vanished between insert and select');
      return { row: first, created: false };
    });
  }

  async findById(id: string): Promise<MessageRow | null> {
    const row = await this.knex('message').where({ id }).first();
    return row ? messageRowFromSql(row) : null;
  }

  async findForTenant(tenantId: string, id: string): Promise<MessageRow | null> {
    const row = await this.knex('message')
      .join('account', 'account.id', 'message.account_id')
      .where({ 'message.id': id, 'account.tenant_id': tenantId })
      .first('message.*');
    return row ? messageRowFromSql(row) : null;
  }

  /**
   * The media a message of this tenant references by `url`, or null: media is served only to a
   * tenant that has it. Scans the tenant's messages (account_id leads an index); fine while
   * media downloads are occasional.
   */
  async findMediaForTenant(tenantId: string, url: string): Promise<MediaRef | null> {
    const row = await this.knex('message')
      .join('account', 'account.id', 'message.account_id')
      .where({ 'account.tenant_id': tenantId })
      .andWhereRaw(`message.media->>'url' = ?`, [url])
      .first('message.media');
    return row ? (row.media as MediaRef) : null;
  }

  /** Newest first. */
  /**
   * Newest first. Messages are ordered by their creation time in microseconds (PostgreSQL's
   * clock, per row), so messages created within one millisecond keep their order, and the
   * cursor carries that precision.
   */
  async listForChat(chatId: string, limit: number, before?: string): Promise<Page<MessageRow> | null> {
    const query = this.knex('message')
      .where({ chat_id: chatId })
      .select('message.*', this.knex.raw("(extract(epoch from created_at) * 1000000)::bigint::text as created_us"));
    if (before) {
      const position = decodeMicrosCursor(before);
      if (!position) return null;
      const at = this.knex.raw("'epoch'::timestamptz + ?::bigint * interval '1 microsecond'", [position.micros]);
      query.andWhere((q) => q.where('created_at', '<', at).orWhere((q2) => q2.where('created_at', '=', at).andWhere('id', '<', position.id)));
    }
    const rows = (await query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1)) as SqlRow[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(messageRowFromSql),
      nextCursor: rows.length > limit && last ? encodeMicrosCursor(last.created_us as string, last.id as string) : null,
    };
  }

  /** Messages with the provider address of their chats, for many ids in one read. */
  async findManyForSend(ids: readonly string[]): Promise<({ message: MessageRow; chat: { externalId: string; kind: ChatKind } } | null)[]> {
    const rows = await this.knex('message')
      .join('chat', 'chat.id', 'message.chat_id')
      .whereIn('message.id', ids as string[])
      .select('message.*', { chat_external_id: 'chat.external_id', chat_kind: 'chat.kind' });
    const byId = new Map(
      rows.map((row: SqlRow) => [
        row.id as string,
        { message: messageRowFromSql(row), chat: { externalId: row.chat_external_id as string, kind: row.chat_kind as ChatKind } },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Many sends at once: queued → sent with their provider ids, and their chats' last activity
   * moved forward, in one statement (one commit). Returns the messages it changed (a message no
   * longer queued is left alone) and the chats as they are now.
   */
  async markManySent(sends: readonly { id: string; externalId: string; sentAt: Date }[]): Promise<{ messages: MessageRow[]; chats: ChatRow[] }> {
    if (sends.length === 0) return { messages: [], chats: [] };
    const values = sends.map(() => '(?::uuid, ?::text, ?::timestamptz)').join(', ');
    const result = await this.knex.raw(
      `with v(id, external_id, sent_at) as (values ${values}),
       m as (
         update message set status = 'sent', external_id = v.external_id, sent_at = v.sent_at, error = null
         from v where message.id = v.id and message.status = 'queued'
         returning message.*
       ), c as (
         update chat set last_message_at = greatest(chat.last_message_at, x.at)
         from (select chat_id, max(sent_at) as at from m group by chat_id) as x
         where chat.id = x.chat_id
         returning chat.*
       )
       select (select coalesce(json_agg(m), '[]'::json) from m) as messages,
              (select coalesce(json_agg(c), '[]'::json) from c) as chats`,
      sends.flatMap((s) => [s.id, s.externalId, s.sentAt]),
    );
    const row = (result as { rows: { messages: SqlRow[]; chats: SqlRow[] }[] }).rows[0];
    return { messages: (row?.messages ?? []).map(messageRowFromSql), chats: (row?.chats ?? []).map(chatRowFromSql) };
  }

  /**
   * Applies delivery receipts of one status in one statement, only moving statuses forward;
   * returns the messages it changed.
   */
  async advanceStatuses(receipts: readonly { accountId: string; externalId: string }[], status: 'delivered' | 'read'): Promise<MessageRow[]> {
    if (receipts.length === 0) return [];
    const values = receipts.map(() => '(?::uuid, ?::text)').join(', ');
    const result = await this.knex.raw(
      `update message set status = ?
       from (values ${values}) as v(account_id, external_id)
       where message.account_id = v.account_id and message.external_id = v.external_id
         and message.direction = 'out' and message.status = any(?)
       returning message.*`,
      [status, ...receipts.flatMap((r) => [r.accountId, r.externalId]), statusesBelow(status)],
    );
    return (result as { rows: SqlRow[] }).rows.map(messageRowFromSql);
  }

  async markFailed(id: string, error: string): Promise<MessageRow | null> {
    const [row] = await this.knex('message')
      .where({ id, status: 'queued' })
      .update({ status: 'failed', error })
      .returning('*');
    return row ? messageRowFromSql(row as SqlRow) : null;
  }

  /** Inserts incoming messages in one statement; returns only the new ones (duplicates are ignored). */
  async insertIncoming(messages: readonly NewIncomingMessage[]): Promise<MessageRow[]> {
    if (messages.length === 0) return [];
    const now = this.knex.raw('clock_timestamp()');
    const rows = await this.knex('message')
      .insert(
        messages.map((m) => ({
          id: m.id,
          account_id: m.accountId,
          chat_id: m.chatId,
          external_id: m.externalId,
          direction: 'in',
          text: m.text,
          media: m.media ? JSON.stringify(m.media) : null,
          status: 'received',
          sent_at: m.sentAt,
          created_at: now,
        })),
      )
      .onConflict(['account_id', 'external_id'])
      .ignore()
      .returning('*');
    return (rows as SqlRow[]).map(messageRowFromSql);
  }
}
