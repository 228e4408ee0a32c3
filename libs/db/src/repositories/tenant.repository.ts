import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { generateApiKey, hashApiKey } from '../crypto/api-key-hash';

export interface ResolvedKey {
  keyId: string;
  tenantId: string;
}

export class TenantRepository {
  constructor(private readonly knex: Knex) {}

  /** Creates a tenant with its first key, in one transaction. The key is returned once. */
  async create(name: string): Promise<{ id: string; name: string; apiKey: string; keyId: string }> {
    const id = randomUUID();
    const apiKey = generateApiKey();
    const keyId = randomUUID();
    await this.knex.transaction(async (trx) => {
      await trx('tenant').insert({ id, name, created_at: new Date() });
      await trx('api_key').insert({ id: keyId, tenant_id: id, hash: hashApiKey(apiKey), created_at: new Date() });
    });
    return { id, name, apiKey, keyId };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.knex('tenant').where({ id }).first('id')) !== undefined;
  }

  async createKey(tenantId: string): Promise<{ id: string; apiKey: string }> {
    const id = randomUUID();
    const apiKey = generateApiKey();
    await this.knex('api_key').insert({ id, tenant_id: tenantId, hash: hashApiKey(apiKey), created_at: new Date() });
    return { id, apiKey };
  }

  /** Deletes a key of the tenant; false when there is no such key. */
  async deleteKey(tenantId: string, keyId: string): Promise<boolean> {
    return (await this.knex('api_key').where({ id: keyId, tenant_id: tenantId }).delete()) > 0;
  }

  /** Finds the key by its hash (an indexed lookup: the key itself is never stored). */
  async resolveKey(apiKey: string): Promise<ResolvedKey | null> {
    const row = await this.knex('api_key').where({ hash: hashApiKey(apiKey) }).first('id', 'tenant_id');
    return row ? { keyId: row.id as string, tenantId: row.tenant_id as string } : null;
  }
}
