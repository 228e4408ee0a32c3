import type { ChatKind, MessageType } from '@switchboard/contracts';

/** A chat as the simulated network names it (`externalId` is the canonical id). */
export interface SandboxChat {
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone?: string | null;
}

/** Media the network holds for a message: the bytes live under their own key, with a TTL. */
export interface SandboxMediaRef {
  id: string;
  mimeType: string;
  filename: string | null;
  size: number;
}

/**
 * A message the network delivers to an account. `origin: device` is the account's own phone
 * writing (`from` is then the account). Only `accountId`, `externalId`, `from`, `fromName`,
 * `text` and `at` are required, so plain contact messages (the benchmark's) stay small.
 */
export interface SandboxMessageEvent {
  type: 'message';
  accountId: string;
  externalId: string;
  from: string;
  fromName: string | null;
  text: string | null;
  at: string;
  origin?: 'contact' | 'device';
  fromPhone?: string | null;
  /** Absent: the private chat with `from`. */
  chat?: SandboxChat;
  media?: SandboxMediaRef | null;
  replyTo?: string | null;
  forwarded?: boolean;
}

/** What happens to a message or chat after it arrived (a contact's action, or the phone's read). */
export type SandboxActionEvent =
  | { type: 'edit'; accountId: string; chatId: string; externalId: string; text: string; at: string }
  | { type: 'revoke'; accountId: string; chatId: string; externalId: string; at: string }
  | { type: 'react'; accountId: string; chatId: string; externalId: string; from: string; fromName: string | null; fromPhone: string | null; emoji: string; at: string }
  | { type: 'read'; accountId: string; chatId: string; at: string };

/** What the network keeps in an account's history (and catches a client up on). */
export type SandboxEvent = SandboxMessageEvent | SandboxActionEvent;

/**
 * What the simulated network delivers to an account: a phone scanning or logging out (live
 * only, never in the history), or an event of its history. `historyId` is the event's id in
 * the account's history, set by the reader; absent for items that are not in the history.
 */
export type SandboxInbound = ({ type: 'scan'; accountId: string } | { type: 'logout'; accountId: string } | SandboxEvent) & { historyId?: string };

export function isHistoryEvent(item: SandboxInbound): item is SandboxEvent & { historyId?: string } {
  return item.type !== 'scan' && item.type !== 'logout';
}

/** The message type a real client shows for a MIME type (an ogg audio is a voice note, as on WhatsApp). */
export function messageTypeOfMime(mimeType: string | null): MessageType {
  if (!mimeType) return 'text';
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType === 'audio/ogg' || mimeType.startsWith('audio/ogg;')) return 'voice';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}

/** Stream ids compare as (milliseconds, sequence). */
export function streamIdAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && as > bs);
}
