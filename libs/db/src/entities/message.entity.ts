import { EntitySchema } from '@mikro-orm/core';
import type { MediaRef, MessageOrigin, MessageStatus, MessageType, Person, Reaction } from '@switchboard/contracts';

export interface MessageRow {
  id: string;
  accountId: string;
  chatId: string;
  /** The provider's message id; unique per chat of an account, so a redelivered message is stored once. */
  externalId: string | null;
  direction: 'in' | 'out';
  /** `api`: sent through Switchboard; `device`: by the account elsewhere; `contact`: received. */
  origin: MessageOrigin;
  sender: Person | null;
  type: MessageType;
  text: string | null;
  media: MediaRef | null;
  /** The provider id of the message it answers (same chat); the row it points to, when stored. */
  replyToExternalId: string | null;
  replyToMessageId: string | null;
  forwarded: boolean;
  /** One per sender: the last reaction each sender set. */
  reactions: Reaction[];
  editedAt: Date | null;
  /** Deleted for everyone: the row stays, text and media gone. */
  deletedAt: Date | null;
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
    origin: { type: 'string', length: 8, default: 'contact' },
    sender: { type: 'json', nullable: true },
    type: { type: 'string', length: 16, default: 'text' },
    text: { type: 'text', nullable: true },
    media: { type: 'json', nullable: true },
    replyToExternalId: { type: 'text', nullable: true },
    replyToMessageId: { type: 'uuid', nullable: true },
    forwarded: { type: 'boolean', default: false },
    reactions: { type: 'json', default: '[]' },
    editedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    deletedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
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
