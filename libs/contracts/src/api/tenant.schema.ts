import { z } from '../zod';
import { IsoDateTime, storableString, Uuid } from './common.schema';

export const CreateTenantBody = z.object({ name: storableString().trim().min(1).max(100) }).openapi('CreateTenantBody');
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const TenantCreated = z
  .object({
    id: Uuid,
    name: z.string(),
    apiKey: z.string().openapi({ description: 'Shown once; stored hashed.' }),
    keyId: Uuid.openapi({ description: 'The id of this first key (to revoke it).' }),
  })
  .openapi('TenantCreated');
export type TenantCreated = z.infer<typeof TenantCreated>;

export const ApiKeyCreated = z
  .object({ id: Uuid, apiKey: z.string().openapi({ description: 'Shown once; stored hashed.' }), prefix: z.string() })
  .openapi('ApiKeyCreated');
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const Tenant = z.object({ id: Uuid, name: z.string(), createdAt: IsoDateTime }).openapi('Tenant');
export type Tenant = z.infer<typeof Tenant>;
export const TenantList = z.object({ items: z.array(Tenant) }).openapi('TenantList');

export const ApiKeyInfo = z
  .object({
    id: Uuid,
    prefix: z.string().nullable().openapi({ description: 'The first characters of the key (null for keys issued before prefixes were kept).' }),
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable().openapi({ description: 'Accurate to about a minute; null when never used.' }),
  })
  .openapi('ApiKeyInfo');
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const ApiKeyList = z.object({ items: z.array(ApiKeyInfo) }).openapi('ApiKeyList');
