import { EntitySchema } from '@mikro-orm/core';

/** Only the SHA-256 of a key is stored; the key itself is shown once. */
export interface ApiKeyRow {
  id: string;
  tenantId: string;
  hash: string;
  createdAt: Date;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: { type: 'uuid', primary: true },
    tenantId: { kind: 'm:1', entity: 'Tenant', mapToPk: true, fieldName: 'tenant_id', deleteRule: 'cascade' },
    hash: { type: 'string', length: 64, unique: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
