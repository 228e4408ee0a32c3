import type { Knex } from '@mikro-orm/postgresql';
import type { ChatKind, MediaRef, MessageStatus } from '@switchboard/contracts';
import type { ChatRow, MessageRow } from '../entities';
import { decodeCursor, encodeCursor } from './page-cursor';
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
    const [inserted] = await this.knex('message')
      .insert({
        id: input.id,
        account_id: input.accountId,
        chat_id: input.chatId,
        direction: 'out',
        text: input.text,
        media: input.media ? JSON.stringify(input.media) : null,
        status: 'queued',
        created_at: new Date(),
        idempotency_key: input.idempotencyKey,
      })
      .onConflict(['account_id', 'idempotency_key'])
      .ignore()
      .returning('*');
    if (inserted) return { row: messageRowFromSql(inserted as SqlRow), created: true };
    const existing = await this.knex('message')
      .where({ account_id: input.accountId, idempotency_key: input.idempotencyKey })
      .first();
    if (!existing) throw new Error('idempotent message vanished between insert and select');
    return { row: messageRowFromSql(existing), created: false };
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
  async listForChat(chatId: string, limit: number, before?: string): Promise<Page<MessageRow> | null> {
    const query = this.knex('message').where({ chat_id: chatId });
    if (before) {
      const position = decodeCursor(before);
      if (!position?.at) return null;
      query.andWhere((q) =>
        q
          .where('created_at', '<', position.at as Date)
          .orWhere((q2) => q2.where('created_at', '=', position.at as Date).andWhere('id', '<', position.id)),
      );
    }
    const rows = (await query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1)).map(
      messageRowFromSql,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  /** A message with the provider address of its chat: all a send needs, in one read. */
  async findForSend(id: string): Promise<{ message: MessageRow; chat: { externalId: string; kind: ChatKind } } | null> {
    const row = await this.knex('message')
      .join('chat', 'chat.id', 'message.chat_id')
      .where('message.id', id)
      .first('message.*', { chat_external_id: 'chat.external_id', chat_kind: 'chat.kind' });
    if (!row) return null;
    return { message: messageRowFromSql(row), chat: { externalId: row.chat_external_id as string, kind: row.chat_kind as ChatKind } };
  }

  /**
   * queued → sent, and the chat's last activity moved forward, in one round trip. Null when the
   * message is no longer queued (a retry after success).
   */
  async markSentWithChat(id: string, externalId: string, sentAt: Date): Promise<{ message: MessageRow; chat: ChatRow } | null> {
    const result = await this.knex.raw(
      `with m as (
         update message set status = 'sent', external_id = ?, sent_at = ?, error = null
         where id = ? and status = 'queued'
         returning *
       ), c as (
         update chat set last_message_at = greatest(chat.last_message_at, m.sent_at)
         from m where chat.id = m.chat_id
         returning chat.*
       )
       select row_to_json(m) as message, (select row_to_json(c) from c) as chat from m`,
      [externalId, sentAt, id],
    );
    const row = (result as { rows: { message: SqlRow; chat: SqlRow }[] }).rows[0];
    return row ? { message: messageRowFromSql(row.message), chat: chatRowFromSql(row.chat) } : null;
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

  /** queued → sent; null when the message is no longer queued (a retry after success). */
  async markSent(id: string, externalId: string, sentAt: Date): Promise<MessageRow | null> {
    const [row] = await this.knex('message')
      .where({ id, status: 'queued' })
      .update({ status: 'sent', external_id: externalId, sent_at: sentAt, error: null })
      .returning('*');
    return row ? messageRowFromSql(row as SqlRow) : null;
  }

  /** Applies a delivery receipt by the provider's id; null when it would not move the status forward. */
  async advanceStatusByExternalId(accountId: string, externalId: string, status: 'delivered' | 'read'): Promise<MessageRow | null> {
    const [row] = await this.knex('message')
      .where({ account_id: accountId, external_id: externalId, direction: 'out' })
      .whereIn('status', statusesBelow(status))
      .update({ status })
      .returning('*');
    return row ? messageRowFromSql(row as SqlRow) : null;
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
    const now = new Date();
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
