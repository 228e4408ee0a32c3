import { EntitySchema } from '@mikro-orm/core';

export interface TenantRow {
  id: string;
  name: string;
  createdAt: Date;
}

export const TenantEntity = new EntitySchema<TenantRow>({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
