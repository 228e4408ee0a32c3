// The console's view of API.md. Fields the contract adds later (replies, reactions, edits,
// deletes, senders) are optional here: the console shows them when the api sends them.

export type Provider = 'whatsapp' | 'telegram' | 'sandbox';
export type AccountStatus =
  | 'disconnected'
  | 'connecting'
  | 'qr'
  | 'pairing_code'
  | 'code_required'
  | 'password_required'
  | 'connected'
  | 'reconnecting'
  | 'logged_out'
  | 'failed';
export type LoginMethod = 'qr' | 'phone' | 'pairing_code';

export const PROVIDER_LOGIN_METHODS: Record<Provider, readonly LoginMethod[]> = {
  whatsapp: ['qr', 'pairing_code'],
  telegram: ['qr', 'phone'],
  sandbox: ['qr', 'phone', 'pairing_code'],
};

export interface Profile {
  id: string;
  name: string | null;
  phone: string | null;
  username: string | null;
}

export interface Account {
  id: string;
  provider: Provider;
  name: string;
  desiredState: 'connected' | 'disconnected';
  status: AccountStatus;
  statusReason: string | null;
  profile: Profile | null;
  createdAt: string;
  updatedAt: string;
}

export interface Chat {
  id: string;
  accountId: string;
  externalId: string;
  title: string | null;
  kind: 'private' | 'group' | 'channel';
  phone?: string | null;
  lastMessageAt: string | null;
  unreadCount: number;
}

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export interface Person {
  id: string;
  name: string | null;
  phone: string | null;
}

export interface Media {
  mimeType: string;
  filename: string | null;
  size: number;
  url: string;
  state?: 'ready' | 'pending' | 'too_large' | 'failed';
}

export interface Message {
  id: string;
  accountId: string;
  chatId: string;
  externalId: string | null;
  direction: 'in' | 'out';
  origin?: 'api' | 'device' | 'contact';
  sender?: Person | null;
  type?: string;
  text: string | null;
  media: Media | null;
  replyTo?: { messageId: string | null; externalId: string } | null;
  forwarded?: boolean;
  reactions?: { emoji: string; sender: Person; at: string }[];
  editedAt?: string | null;
  deletedAt?: string | null;
  status: MessageStatus;
  error: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface QrCode {
  qr: string;
  dataUrl: string;
  expiresAt: string;
}

export interface PairingCode {
  code: string;
  expiresAt: string;
}

export interface LoginRequired {
  step: 'code' | 'password';
  hint?: string;
}

export interface LiveEvent<T = unknown> {
  id: string;
  kind: string;
  accountId: string;
  at: string;
  data: T;
}

export interface ClusterWorker {
  id: string;
  lastHeartbeatAt: string;
  live: boolean;
  partitions: number[];
  sessions: number;
}

export interface ClusterView {
  partitions: number;
  workers: ClusterWorker[];
  unownedPartitions: number[];
}
