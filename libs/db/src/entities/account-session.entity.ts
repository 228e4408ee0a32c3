import { EntitySchema } from '@mikro-orm/core';

/** A messenger session, AES-256-GCM encrypted; `keyId` names the key so keys can rotate. */
export interface AccountSessionRow {
  accountId: string;
  keyId: string;
  blob: Buffer;
  fence: string;
  /** The session's catch-up cursor (its own format): where the last client stopped reading. */
  catchUpCursor: string | null;
  updatedAt: Date;
}

export const AccountSessionEntity = new EntitySchema<AccountSessionRow>({
  name: 'AccountSession',
  tableName: 'account_session',
  properties: {
    accountId: { kind: '1:1', entity: 'Account', mapToPk: true, primary: true, fieldName: 'account_id', deleteRule: 'cascade', owner: true },
    keyId: { type: 'string', length: 32 },
    blob: { type: 'blob' },
    fence: { type: 'bigint', default: 0 },
    catchUpCursor: { type: 'text', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
