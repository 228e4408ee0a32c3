import { EntitySchema } from '@mikro-orm/core';

/**
 * An incoming message that could not be stored even on its own: kept with the reason so an
 * operator can look at it, while every other message goes on. `payload` is the message as
 * JSON text, whose escapes (\u0000, lone surrogates) PostgreSQL can always store.
 */
export interface QuarantinedMessageRow {
  id: string;
  accountId: string;
  externalId: string;
  reason: string;
  payload: string;
  createdAt: Date;
}

export const QuarantinedMessageEntity = new EntitySchema<QuarantinedMessageRow>({
  name: 'QuarantinedMessage',
  tableName: 'quarantined_message',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { kind: 'm:1', entity: 'Account', mapToPk: true, fieldName: 'account_id', deleteRule: 'cascade' },
    externalId: { type: 'text' },
    reason: { type: 'text' },
    payload: { type: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
  indexes: [{ name: 'quarantined_message_created_index', properties: ['createdAt'] }],
});
