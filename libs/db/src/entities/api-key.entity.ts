import { EntitySchema } from '@mikro-orm/core';

/** Only the SHA-256 of a key is stored; the key itself is shown once. */
export interface ApiKeyRow {
  id: string;
  tenantId: string;
  hash: string;
  /** The key's first characters, to tell keys apart in a listing (null for keys made before it was kept). */
  prefix: string | null;
  createdAt: Date;
  /** Updated at most once a minute per api process. */
  lastUsedAt: Date | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: { type: 'uuid', primary: true },
    tenantId: { kind: 'm:1', entity: 'Tenant', mapToPk: true, fieldName: 'tenant_id', deleteRule: 'cascade' },
    hash: { type: 'string', length: 64, unique: true },
    prefix: { type: 'string', length: 16, nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    lastUsedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
