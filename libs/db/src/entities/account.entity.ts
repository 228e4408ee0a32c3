import { EntitySchema } from '@mikro-orm/core';
import type { AccountStatus, DesiredState, LoginMethod, Profile, Provider } from '@switchboard/contracts';

export interface AccountRow {
  id: string;
  tenantId: string;
  provider: Provider;
  name: string;
  desiredState: DesiredState;
  status: AccountStatus;
  statusReason: string | null;
  profile: Profile | null;
  loginMethod: LoginMethod;
  phone: string | null;
  partition: number;
  /** The lease token of the last owner that wrote status: a stale owner's late write is refused. */
  fence: string;
  createdAt: Date;
  updatedAt: Date;
}

export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'Account',
  tableName: 'account',
  properties: {
    id: { type: 'uuid', primary: true },
    tenantId: { kind: 'm:1', entity: 'Tenant', mapToPk: true, fieldName: 'tenant_id', deleteRule: 'cascade', index: true },
    provider: { type: 'string', length: 16 },
    name: { type: 'text' },
    desiredState: { type: 'string', length: 16 },
    status: { type: 'string', length: 32 },
    statusReason: { type: 'text', nullable: true },
    profile: { type: 'json', nullable: true },
    loginMethod: { type: 'string', length: 16, default: 'qr' },
    phone: { type: 'string', length: 32, nullable: true },
    partition: { type: 'integer' },
    fence: { type: 'bigint', default: 0 },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
  indexes: [{ properties: ['partition', 'desiredState'] }],
});
