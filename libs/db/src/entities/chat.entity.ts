import { EntitySchema } from '@mikro-orm/core';
import type { ChatKind } from '@switchboard/contracts';

export interface ChatRow {
  id: string;
  accountId: string;
  /** The provider's own id (a WhatsApp jid or @lid, a Telegram peer id, a sandbox name). */
  externalId: string;
  title: string | null;
  kind: ChatKind;
  phone: string | null;
  lastMessageAt: Date | null;
  unreadCount: number;
  createdAt: Date;
}

export const ChatEntity = new EntitySchema<ChatRow>({
  name: 'Chat',
  tableName: 'chat',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { kind: 'm:1', entity: 'Account', mapToPk: true, fieldName: 'account_id', deleteRule: 'cascade' },
    externalId: { type: 'text' },
    title: { type: 'text', nullable: true },
    kind: { type: 'string', length: 16 },
    phone: { type: 'string', length: 32, nullable: true },
    lastMessageAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    unreadCount: { type: 'integer', default: 0 },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
  uniques: [{ name: 'chat_account_external_unique', properties: ['accountId', 'externalId'] }],
  indexes: [{ name: 'chat_account_activity_index', properties: ['accountId', 'lastMessageAt'] }],
});
