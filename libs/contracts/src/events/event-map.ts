import { z } from '../zod';
import { AccountStatus, QrCode } from '../api/account.schema';
import { Chat } from '../api/chat.schema';
import { IsoDateTime } from '../api/common.schema';
import { Message, MessageStatus } from '../api/message.schema';

export const AccountStatusEvent = z.object({ status: AccountStatus, reason: z.string().nullable() });
export const AccountQrEvent = QrCode;
export const AccountPairingCodeEvent = z.object({ code: z.string(), expiresAt: IsoDateTime });
export const AccountLoginRequiredEvent = z.object({
  step: z.enum(['code', 'password']),
  hint: z.string().optional(),
});
export const MessageStatusEvent = z.object({
  messageId: z.uuid(),
  status: MessageStatus,
  externalId: z.string().nullable(),
  error: z.string().nullable(),
});

/** Event kind → payload schema (docs/api.md "Live events"). */
export const EVENT_SCHEMAS = {
  'account.status': AccountStatusEvent,
  'account.qr': AccountQrEvent,
  'account.pairing_code': AccountPairingCodeEvent,
  'account.login_required': AccountLoginRequiredEvent,
  'message.received': Message,
  'message.status': MessageStatusEvent,
  /** An edit, a delete for everyone, a reaction, media ready, a refused action (with `error`). */
  'message.updated': Message,
  'chat.updated': Chat,
} as const;

export type EventMap = { [K in keyof typeof EVENT_SCHEMAS]: z.infer<(typeof EVENT_SCHEMAS)[K]> };
export type EventKind = keyof EventMap;
export const EVENT_KINDS = Object.keys(EVENT_SCHEMAS) as EventKind[];

/** An event as published by a worker: who it belongs to, what happened. */
export interface DomainEvent<K extends EventKind = EventKind> {
  kind: K;
  tenantId: string;
  accountId: string;
  at: string;
  data: EventMap[K];
}

/** An event as a client receives it: `id` is the Redis stream id and orders events. */
export interface ClientEvent<K extends EventKind = EventKind> {
  id: string;
  kind: K;
  accountId: string;
  at: string;
  data: EventMap[K];
}

/** Emitted first on a replay whose `lastEventId` is older than what the stream retains. */
export const SYNC_RESET_EVENT = 'sync.reset';
