import { z } from '../zod';
import { storableString, Uuid } from './common.schema';

export const CreateTenantBody = z.object({ name: storableString().trim().min(1).max(100) }).openapi('CreateTenantBody');
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const TenantCreated = z
  .object({ id: Uuid, name: z.string(), apiKey: z.string().openapi({ description: 'Shown once; stored hashed.' }) })
  .openapi('TenantCreated');
export type TenantCreated = z.infer<typeof TenantCreated>;

export const ApiKeyCreated = z.object({ id: Uuid, apiKey: z.string() }).openapi('ApiKeyCreated');
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;
