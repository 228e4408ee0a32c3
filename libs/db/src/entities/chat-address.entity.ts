import { EntitySchema } from '@mikro-orm/core';

/**
 * An address a chat was reached by (a phone, `@username`, `+1555…`, an `@lid` id): one person is
 * one chat, so every address the provider resolved to a chat leads there.
 */
export interface ChatAddressRow {
  accountId: string;
  address: string;
  chatId: string;
}

export const ChatAddressEntity = new EntitySchema<ChatAddressRow>({
  name: 'ChatAddress',
  tableName: 'chat_address',
  properties: {
    accountId: { kind: 'm:1', entity: 'Account', mapToPk: true, primary: true, fieldName: 'account_id', deleteRule: 'cascade' },
    address: { type: 'text', primary: true },
    chatId: { kind: 'm:1', entity: 'Chat', mapToPk: true, fieldName: 'chat_id', deleteRule: 'cascade' },
  },
});
