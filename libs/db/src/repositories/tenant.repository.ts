import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { toDate, toDateOrNull } from './row-mappers';
import { generateApiKey, hashApiKey } from '../crypto/api-key-hash';

export interface ResolvedKey {
  keyId: string;
  tenantId: string;
}

export interface TenantListing {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyListing {
  id: string;
  prefix: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Characters of a key kept in clear to tell keys apart: `sb_` and 9 of its 43 random ones. */
export const KEY_PREFIX_LENGTH = 12;
const keyPrefixOf = (apiKey: string) => apiKey.slice(0, KEY_PREFIX_LENGTH);

/** Last use is written at most this often per key (a cached key is not looked up at all). */
const LAST_USED_RESOLUTION_MS = 60_000;

export class TenantRepository {
  constructor(private readonly knex: Knex) {}

  /** Creates a tenant with its first key, in one transaction. The key is returned once. */
  async create(name: string): Promise<{ id: string; name: string; apiKey: string; keyId: string }> {
    const id = randomUUID();
    const apiKey = generateApiKey();
    const keyId = randomUUID();
    await this.knex.transaction(async (trx) => {
      await trx('tenant').insert({ id, name, created_at: new Date() });
      await trx('api_key').insert({ id: keyId, tenant_id: id, hash: hashApiKey(apiKey), prefix: keyPrefixOf(apiKey), created_at: new Date() });
    });
    return { id, name, apiKey, keyId };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.knex('tenant').where({ id }).first('id')) !== undefined;
  }

  async createKey(tenantId: string): Promise<{ id: string; apiKey: string; prefix: string }> {
    const id = randomUUID();
    const apiKey = generateApiKey();
    const prefix = keyPrefixOf(apiKey);
    await this.knex('api_key').insert({ id, tenant_id: tenantId, hash: hashApiKey(apiKey), prefix, created_at: new Date() });
    return { id, apiKey, prefix };
  }

  /** Every tenant, oldest first. */
  async list(): Promise<TenantListing[]> {
    const rows = await this.knex('tenant').select('id', 'name', 'created_at').orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map((r: Record<string, unknown>) => ({ id: r.id as string, name: r.name as string, createdAt: toDate(r.created_at) }));
  }

  /** A tenant's keys, oldest first: never the key, only its prefix. */
  async listKeys(tenantId: string): Promise<ApiKeyListing[]> {
    const rows = await this.knex('api_key')
      .where({ tenant_id: tenantId })
      .select('id', 'prefix', 'created_at', 'last_used_at')
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      prefix: (r.prefix as string | null) ?? null,
      createdAt: toDate(r.created_at),
      lastUsedAt: toDateOrNull(r.last_used_at),
    }));
  }

  /** Deletes a key of the tenant; false when there is no such key. */
  async deleteKey(tenantId: string, keyId: string): Promise<boolean> {
    return (await this.knex('api_key').where({ id: keyId, tenant_id: tenantId }).delete()) > 0;
  }

  /** Finds the key by its hash (an indexed lookup: the key itself is never stored). */
  async resolveKey(apiKey: string): Promise<ResolvedKey | null> {
    const row = await this.knex('api_key').where({ hash: hashApiKey(apiKey) }).first('id', 'tenant_id', 'last_used_at');
    if (!row) return null;
    const lastUsed = toDateOrNull(row.last_used_at);
    if (!lastUsed || Date.now() - lastUsed.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.knex('api_key').where({ id: row.id }).update({ last_used_at: new Date() });
    }
    return { keyId: row.id as string, tenantId: row.tenant_id as string };
  }
}
