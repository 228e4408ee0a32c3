import type { Knex } from '@mikro-orm/postgresql';
import type { ChatKind, MediaRef, MessageOrigin, MessageStatus, MessageType, Person, Reaction } from '@switchboard/contracts';
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
  /** `api` unless said otherwise. */
  origin?: MessageOrigin;
  type?: MessageType;
  /** A message of the same chat this one answers, and its provider id. */
  replyToMessageId?: string | null;
  replyToExternalId?: string | null;
}

export interface NewIncomingMessage {
  id: string;
  accountId: string;
  chatId: string;
  externalId: string;
  /** `contact`: received (direction in); `device`: sent by the account elsewhere (direction out, `sent`). */
  origin?: 'contact' | 'device';
  sender?: Person | null;
  type?: MessageType;
  text: string | null;
  media: MediaRef | null;
  /** The provider id of the message it answers (same chat); its row is linked when stored. */
  replyToExternalId?: string | null;
  forwarded?: boolean;
  sentAt: Date;
  /** The writer's lease token; null for a writer outside the ownership model (tests, tools). */
  fence: string | null;
}

/** A delivery receipt: which message (account, chat, provider id) and under which lease. */
export interface ReceiptKey {
  accountId: string;
  chatExternalId: string;
  externalId: string;
  fence: string;
}

/** Statuses only move forward: a late `delivered` never overwrites `read`. */
const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5, received: 0 };
const statusesBelow = (status: MessageStatus) =>
  (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => s !== 'failed' && s !== 'received' && STATUS_RANK[s] < STATUS_RANK[status]);

/** The writer's lease token must be at least the account's (API of fenced statements below). */
const FENCED = 'a.id = message.account_id and a.fence <= v.fence';

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
          origin: input.origin ?? 'api',
          type: input.type ?? 'text',
          reply_to_message_id: input.replyToMessageId ?? null,
          reply_to_external_id: input.replyToExternalId ?? null,
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
  async findManyForSend(
    ids: readonly string[],
  ): Promise<({ message: MessageRow; chat: { id: string; externalId: string; kind: ChatKind }; replyToExternalId: string | null } | null)[]> {
    const rows = await this.knex('message')
      .join('chat', 'chat.id', 'message.chat_id')
      .leftJoin({ reply: 'message' }, 'reply.id', 'message.reply_to_message_id')
      .whereIn('message.id', ids as string[])
      .select('message.*', { chat_external_id: 'chat.external_id', chat_kind: 'chat.kind', reply_external_id: 'reply.external_id' });
    const byId = new Map(
      rows.map((row: SqlRow) => [
        row.id as string,
        {
          message: messageRowFromSql(row),
          chat: { id: row.chat_id as string, externalId: row.chat_external_id as string, kind: row.chat_kind as ChatKind },
          replyToExternalId: (row.reply_external_id as string | null) ?? null,
        },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * queued → sending, under the owner's lease, before a send reaches the provider: from then on
   * its outcome is unknown until recorded, and whoever runs it again asks the provider first. A
   * message already `sending` (asked, and the provider did not have it) is marked again. Returns
   * the messages it marked (refused: no longer unsent, or a newer owner claimed the account).
   */
  async markManySending(sends: readonly { id: string; fence: string }[]): Promise<MessageRow[]> {
    if (sends.length === 0) return [];
    const values = sends.map(() => '(?::uuid, ?::bigint)').join(', ');
    const result = await this.knex.raw(
      `update message set status = 'sending'
       from (values ${values}) as v(id, fence), account a
       where message.id = v.id and message.status in ('queued', 'sending') and ${FENCED}
       returning message.*`,
      sends.flatMap((s) => [s.id, s.fence]),
    );
    return (result as { rows: SqlRow[] }).rows.map(messageRowFromSql);
  }

  /**
   * Many sends at once: queued or sending → sent with their provider ids, and their chats' last
   * activity moved forward, in one statement (one commit), under each writer's lease. Returns the
   * messages it changed (a message already sent or failed, or claimed by a newer owner, is left
   * alone) and the chats as they are now.
   */
  async markManySent(sends: readonly { id: string; externalId: string; sentAt: Date; fence: string }[]): Promise<{ messages: MessageRow[]; chats: ChatRow[] }> {
    if (sends.length === 0) return { messages: [], chats: [] };
    const values = sends.map(() => '(?::uuid, ?::text, ?::timestamptz, ?::bigint)').join(', ');
    const result = await this.knex.raw(
      `with v(id, external_id, sent_at, fence) as (values ${values}),
       m as (
         update message set status = 'sent', external_id = v.external_id, sent_at = v.sent_at, error = null
         from v, account a where message.id = v.id and message.status in ('queued', 'sending') and ${FENCED}
         returning message.*
       ), c as (
         update chat set last_message_at = greatest(chat.last_message_at, x.at)
         from (select chat_id, max(sent_at) as at from m group by chat_id) as x
         where chat.id = x.chat_id
         returning chat.*
       )
       select (select coalesce(json_agg(m), '[]'::json) from m) as messages,
              (select coalesce(json_agg(c), '[]'::json) from c) as chats`,
      sends.flatMap((s) => [s.id, s.externalId, s.sentAt, s.fence]),
    );
    const row = (result as { rows: { messages: SqlRow[]; chats: SqlRow[] }[] }).rows[0];
    return { messages: (row?.messages ?? []).map(messageRowFromSql), chats: (row?.chats ?? []).map(chatRowFromSql) };
  }

  /**
   * Applies delivery receipts of one status in one statement, only moving statuses forward and
   * only under each writer's lease; returns the messages it changed. A message is found by its
   * account, chat and provider id (provider ids repeat across chats).
   */
  async advanceStatuses(receipts: readonly ReceiptKey[], status: 'delivered' | 'read'): Promise<MessageRow[]> {
    if (receipts.length === 0) return [];
    const values = receipts.map(() => '(?::uuid, ?::text, ?::text, ?::bigint)').join(', ');
    const result = await this.knex.raw(
      `update message set status = ?
       from (values ${values}) as v(account_id, chat_external_id, external_id, fence), chat c, account a
       where c.account_id = v.account_id and c.external_id = v.chat_external_id
         and message.account_id = v.account_id and message.chat_id = c.id and message.external_id = v.external_id
         and ${FENCED} and message.direction = 'out' and message.status = any(?)
       returning message.*`,
      [status, ...receipts.flatMap((r) => [r.accountId, r.chatExternalId, r.externalId, r.fence]), statusesBelow(status)],
    );
    return (result as { rows: SqlRow[] }).rows.map(messageRowFromSql);
  }

  /**
   * A send that ended for good: queued or sending → failed with its reason. `fence` is the
   * writer's lease token (the worker); null for the api, which only fails what it never enqueued.
   */
  async markFailed(id: string, error: string, fence: string | null = null): Promise<MessageRow | null> {
    const result = await this.knex.raw(
      `update message set status = 'failed', error = ?
       from account a
       where message.id = ? and message.status in ('queued', 'sending') and a.id = message.account_id
         and (?::bigint is null or a.fence <= ?::bigint)
       returning message.*`,
      [error, id, fence, fence],
    );
    const [row] = (result as { rows: SqlRow[] }).rows;
    return row ? messageRowFromSql(row) : null;
  }

  /** Queued messages of an account still waiting to be sent (oldest first), by id. */
  async listUnsentIds(accountId: string, limit: number): Promise<string[]> {
    const rows = await this.knex('message')
      .where({ account_id: accountId, direction: 'out' })
      .whereIn('status', ['queued', 'sending'])
      .orderBy('created_at')
      .limit(limit)
      .select('id');
    return rows.map((r: { id: string }) => r.id);
  }

  /**
   * Inserts incoming messages in one statement; returns only the new ones. A duplicate
   * (account, chat, provider id) is ignored, and so is a message of an account that was deleted
   * or claimed by a newer owner than the writer (`fence`).
   */
  async insertIncoming(messages: readonly NewIncomingMessage[]): Promise<MessageRow[]> {
    if (messages.length === 0) return [];
    const values = messages
      .map(() => '(?::int, ?::uuid, ?::uuid, ?::uuid, ?::text, ?::text, ?::jsonb, ?::text, ?::text, ?::jsonb, ?::text, ?::boolean, ?::timestamptz, ?::bigint)')
      .join(', ');
    // Ordered by position, with the clock read per row after the sort: messages that arrive
    // together keep their order in the chat. A message sent from the account's phone is outgoing
    // and already `sent`; a reply is linked to the row it answers when that row is stored.
    const result = await this.knex.raw(
      `insert into message (id, account_id, chat_id, external_id, direction, origin, sender, type, text, media,
                            reply_to_external_id, reply_to_message_id, forwarded, status, sent_at, created_at)
       select v.id, v.account_id, v.chat_id, v.external_id,
              case when v.origin = 'device' then 'out' else 'in' end, v.origin, v.sender, v.type, v.text, v.media,
              v.reply_to,
              case when v.reply_to is null then null
                   else (select r.id from message r where r.account_id = v.account_id and r.chat_id = v.chat_id and r.external_id = v.reply_to) end,
              v.forwarded, case when v.origin = 'device' then 'sent' else 'received' end, v.sent_at, clock_timestamp()
       from (values ${values}) as v(ord, id, account_id, chat_id, external_id, text, media, origin, type, sender, reply_to, forwarded, sent_at, fence)
       join account a on a.id = v.account_id and (v.fence is null or a.fence <= v.fence)
       order by v.ord
       on conflict (account_id, chat_id, external_id) do nothing
       returning *`,
      messages.flatMap((m, i) => [
        i,
        m.id,
        m.accountId,
        m.chatId,
        m.externalId,
        m.text,
        m.media ? JSON.stringify(m.media) : null,
        m.origin ?? 'contact',
        m.type ?? 'text',
        m.sender ? JSON.stringify(m.sender) : null,
        m.replyToExternalId ?? null,
        m.forwarded ?? false,
        m.sentAt,
        m.fence,
      ]),
    );
    return (result as { rows: SqlRow[] }).rows.map(messageRowFromSql);
  }

  /**
   * What happened to a message afterwards (an edit, a delete for everyone, a reaction, media
   * that became ready, a refused action), found by its account, chat and provider id, under the
   * writer's lease. Returns the message as it is now, or null (unknown message, refused write).
   */
  async applyChange(key: ReceiptKey, change: MessageChange): Promise<MessageRow | null> {
    const { set, params } = changeSql(change);
    const result = await this.knex.raw(
      `update message set ${set}
       from chat c, account a
       where c.account_id = ? and c.external_id = ? and message.chat_id = c.id and message.account_id = c.account_id
         and message.external_id = ? and a.id = message.account_id and a.fence <= ?::bigint
       returning message.*`,
      [...params, key.accountId, key.chatExternalId, key.externalId, key.fence],
    );
    const [row] = (result as { rows: SqlRow[] }).rows;
    return row ? messageRowFromSql(row) : null;
  }

  /** The same change, for a message known by our id (an action the account asked for through the API). */
  async applyChangeById(id: string, change: MessageChange, fence: string): Promise<MessageRow | null> {
    const { set, params } = changeSql(change);
    const result = await this.knex.raw(
      `update message set ${set} from account a
       where message.id = ? and a.id = message.account_id and a.fence <= ?::bigint
       returning message.*`,
      [...params, id, fence],
    );
    const [row] = (result as { rows: SqlRow[] }).rows;
    return row ? messageRowFromSql(row) : null;
  }

  /** Moves the messages of one chat to another (two addresses turned out to be one person). */
  async moveToChat(fromChatId: string, toChatId: string): Promise<MessageRow[]> {
    const rows = await this.knex('message').where({ chat_id: fromChatId }).update({ chat_id: toChatId }).returning('*');
    return (rows as SqlRow[]).map(messageRowFromSql);
  }
}

/** What can happen to a stored message. */
export type MessageChange =
  | { kind: 'edit'; text: string | null; at: Date }
  | { kind: 'revoke'; at: Date }
  | { kind: 'reaction'; reaction: Reaction }
  | { kind: 'media'; media: MediaRef }
  | { kind: 'error'; error: string }
  | { kind: 'delete-for-me' };

function changeSql(change: MessageChange): { set: string; params: Knex.Value[] } {
  switch (change.kind) {
    case 'edit':
      return { set: 'text = ?, edited_at = ?, error = null', params: [change.text, change.at] };
    case 'revoke':
      // The row stays (a tombstone); what it said and showed is gone.
      return { set: 'text = null, media = null, deleted_at = ?', params: [change.at] };
    case 'delete-for-me':
      return { set: 'text = null, media = null, deleted_at = now()', params: [] };
    case 'reaction': {
      // One reaction per sender: the sender's previous one goes; an empty emoji only removes it.
      const entry = JSON.stringify(change.reaction);
      return {
        set: `reactions = coalesce((select jsonb_agg(r) from jsonb_array_elements(message.reactions) r where r->'sender'->>'id' <> ?), '[]'::jsonb)
               || case when ? = '' then '[]'::jsonb else jsonb_build_array(?::jsonb) end`,
        params: [change.reaction.sender.id, change.reaction.emoji, entry],
      };
    }
    case 'media':
      return { set: 'media = ?::jsonb', params: [JSON.stringify(change.media)] };
    case 'error':
      return { set: 'error = ?', params: [change.error] };
  }
}
