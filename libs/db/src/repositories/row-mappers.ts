import type { Account, Chat, Message } from '@switchboard/contracts';
import type { AccountRow, ChatRow, MessageRow } from '../entities';

/** Raw rows as PostgreSQL returns them (snake_case columns). */
export type SqlRow = Record<string, unknown>;

// MikroORM's pg driver hands timestamptz columns over as strings; rows carry real Dates.
export const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const toDateOrNull = (value: unknown): Date | null => (value == null ? null : toDate(value));
const iso = (value: unknown): string => toDate(value).toISOString();
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));

export function accountRowFromSql(r: SqlRow): AccountRow {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    provider: r.provider as AccountRow['provider'],
    name: r.name as string,
    desiredState: r.desired_state as AccountRow['desiredState'],
    status: r.status as AccountRow['status'],
    statusReason: (r.status_reason as string | null) ?? null,
    profile: (r.profile as AccountRow['profile']) ?? null,
    loginMethod: r.login_method as AccountRow['loginMethod'],
    phone: (r.phone as string | null) ?? null,
    partition: Number(r.partition),
    fence: String(r.fence),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    desiredState: row.desiredState,
    status: row.status,
    statusReason: row.statusReason,
    profile: row.profile,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function chatRowFromSql(r: SqlRow): ChatRow {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    externalId: r.external_id as string,
    title: (r.title as string | null) ?? null,
    kind: r.kind as ChatRow['kind'],
    phone: (r.phone as string | null) ?? null,
    lastMessageAt: toDateOrNull(r.last_message_at),
    unreadCount: Number(r.unread_count),
    createdAt: toDate(r.created_at),
  };
}

export function toChat(row: ChatRow): Chat {
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.externalId,
    title: row.title,
    kind: row.kind,
    phone: row.phone,
    lastMessageAt: isoOrNull(row.lastMessageAt),
    unreadCount: row.unreadCount,
  };
}

export function messageRowFromSql(r: SqlRow): MessageRow {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    chatId: r.chat_id as string,
    externalId: (r.external_id as string | null) ?? null,
    direction: r.direction as MessageRow['direction'],
    origin: (r.origin as MessageRow['origin']) ?? (r.direction === 'out' ? 'api' : 'contact'),
    sender: (r.sender as MessageRow['sender']) ?? null,
    type: (r.type as MessageRow['type']) ?? 'text',
    text: (r.text as string | null) ?? null,
    media: (r.media as MessageRow['media']) ?? null,
    replyToExternalId: (r.reply_to_external_id as string | null) ?? null,
    replyToMessageId: (r.reply_to_message_id as string | null) ?? null,
    forwarded: Boolean(r.forwarded),
    reactions: ((r.reactions as MessageRow['reactions'] | null) ?? []).map((x) => ({ ...x })),
    editedAt: toDateOrNull(r.edited_at),
    deletedAt: toDateOrNull(r.deleted_at),
    status: r.status as MessageRow['status'],
    error: (r.error as string | null) ?? null,
    sentAt: toDateOrNull(r.sent_at),
    createdAt: toDate(r.created_at),
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    accountId: row.accountId,
    chatId: row.chatId,
    externalId: row.externalId,
    direction: row.direction,
    origin: row.origin,
    sender: row.sender,
    type: row.type,
    text: row.text,
    media: row.media,
    replyTo: row.replyToExternalId ? { messageId: row.replyToMessageId, externalId: row.replyToExternalId } : null,
    forwarded: row.forwarded,
    reactions: row.reactions,
    editedAt: isoOrNull(row.editedAt),
    deletedAt: isoOrNull(row.deletedAt),
    status: row.status,
    error: row.error,
    sentAt: isoOrNull(row.sentAt),
    createdAt: iso(row.createdAt),
  };
}
