import type { Account, Chat, Message } from '@switchboard/contracts';
import type { AccountRow, ChatRow, MessageRow } from '../entities';

/** Raw rows as PostgreSQL returns them (snake_case columns). */
export type SqlRow = Record<string, unknown>;

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
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
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
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
    lastMessageAt: (r.last_message_at as Date | null) ?? null,
    unreadCount: Number(r.unread_count),
    createdAt: r.created_at as Date,
  };
}

export function toChat(row: ChatRow): Chat {
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.externalId,
    title: row.title,
    kind: row.kind,
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
    text: (r.text as string | null) ?? null,
    media: (r.media as MessageRow['media']) ?? null,
    status: r.status as MessageRow['status'],
    error: (r.error as string | null) ?? null,
    sentAt: (r.sent_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
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
    text: row.text,
    media: row.media,
    status: row.status,
    error: row.error,
    sentAt: isoOrNull(row.sentAt),
    createdAt: iso(row.createdAt),
  };
}
