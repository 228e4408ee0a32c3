import type { ApiKeyCreated, ApiKeyInfo, Tenant, TenantCreated } from '@switchboard/contracts';
import type { Logger } from '@switchboard/config';
import type { TenantRepository } from '@switchboard/db';
import type { ApiKeyResolver } from '../auth/api-key-resolver';
import type { ControlChannel } from '../control/control-channel';
import { ApiError } from '../http/api-error';

export interface TenantsServiceDeps {
  tenants: TenantRepository;
  apiKeys: ApiKeyResolver;
  control: ControlChannel;
  logger: Logger;
}

/** Tenants and their keys. A key is answered once, here; only its hash is stored. */
export class TenantsService {
  constructor(private readonly deps: TenantsServiceDeps) {}

  async create(name: string): Promise<TenantCreated> {
    const { id, apiKey, keyId } = await this.deps.tenants.create(name);
    return { id, name, apiKey, keyId };
  }

  async list(): Promise<Tenant[]> {
    return (await this.deps.tenants.list()).map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString() }));
  }

  async listKeys(tenantId: string): Promise<ApiKeyInfo[]> {
    if (!(await this.deps.tenants.exists(tenantId))) throw ApiError.notFound('Tenant');
    return (await this.deps.tenants.listKeys(tenantId)).map((k) => ({
      id: k.id,
      prefix: k.prefix,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    }));
  }

  async createKey(tenantId: string): Promise<ApiKeyCreated> {
    if (!(await this.deps.tenants.exists(tenantId))) throw ApiError.notFound('Tenant');
    return this.deps.tenants.createKey(tenantId);
  }

  /**
   * Deletes the key, then tells every api instance: each drops it from its auth cache and
   * disconnects its sockets. If the announcement fails, the key is still gone from PostgreSQL
   * and other instances' caches forget it within their TTL.
   */
  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    if (!(await this.deps.tenants.deleteKey(tenantId, keyId))) throw ApiError.notFound('API key');
    this.deps.apiKeys.invalidateKey(keyId);
    try {
      await this.deps.control.publishKeyRevoked(keyId);
    } catch (error) {
      this.deps.logger.warn({ err: error, keyId }, 'could not announce a revoked key to other api instances');
    }
  }
}
