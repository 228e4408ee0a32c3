import { EntitySchema } from '@mikro-orm/core';
import type { MediaRef, MessageStatus } from '@switchboard/contracts';

export interface MessageRow {
  id: string;
  accountId: string;
  chatId: string;
  /** The provider's message id; unique per chat of an account, so a redelivered message is stored once. */
  externalId: string | null;
  direction: 'in' | 'out';
  text: string | null;
  media: MediaRef | null;
  status: MessageStatus;
  error: string | null;
  sentAt: Date | null;
  createdAt: Date;
  idempotencyKey: string | null;
}

export const MessageEntity = new EntitySchema<MessageRow>({
  name: 'Message',
  tableName: 'message',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { kind: 'm:1', entity: 'Account', mapToPk: true, fieldName: 'account_id', deleteRule: 'cascade' },
    chatId: { kind: 'm:1', entity: 'Chat', mapToPk: true, fieldName: 'chat_id', deleteRule: 'cascade' },
    externalId: { type: 'text', nullable: true },
    direction: { type: 'string', length: 8 },
    text: { type: 'text', nullable: true },
    media: { type: 'json', nullable: true },
    status: { type: 'string', length: 16 },
    error: { type: 'text', nullable: true },
    sentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    idempotencyKey: { type: 'string', length: 255, nullable: true },
  },
  uniques: [
    { name: 'message_account_chat_external_unique', properties: ['accountId', 'chatId', 'externalId'] },
    { name: 'message_account_idempotency_unique', properties: ['accountId', 'idempotencyKey'] },
  ],
  indexes: [{ name: 'message_chat_created_index', properties: ['chatId', 'createdAt'] }],
});
