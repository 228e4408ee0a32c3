import { once } from 'node:events';
import { ApiKeyCreated, ApiKeyList, QuarantinedMessageList, TenantCreated, TenantList } from '@switchboard/contracts';
import { hashApiKey } from '@switchboard/db';
import { createRedis } from '@switchboard/queue';
import { waitFor } from '@switchboard/testing';
import { detailPaths, expectApiError, request, startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('tenants and API keys (admin key)', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness('api-tenants');
  });
  afterAll(() => h.close());

  it('creates a tenant and shows its key once, storing only the hash', async () => {
    const res = await h.request('POST', '/v1/tenants', { key: h.env.adminKey, json: { name: 'acme' } });
    expect(res.status).toBe(201);
    const tenant = TenantCreated.parse(res.body);
    expect(tenant.name).toBe('acme');
    const rows = await h.db.knex('api_key').where({ tenant_id: tenant.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].hash).toBe(hashApiKey(tenant.apiKey));
    expect(JSON.stringify(rows)).not.toContain(tenant.apiKey);
  });

  it('lists tenants and their keys (prefix, created, last used; never the key), with the first key id in the tenant answer', async () => {
    const tenant = TenantCreated.parse((await h.request('POST', '/v1/tenants', { key: h.env.adminKey, json: { name: 'listed' } })).body);
    const second = ApiKeyCreated.parse((await h.request('POST', `/v1/tenants/${tenant.id}/keys`, { key: h.env.adminKey })).body);
    expect(second.prefix).toBe(second.apiKey.slice(0, 12));
    expect((await h.request('GET', '/v1/accounts', { key: tenant.apiKey })).status).toBe(200);

    const tenants = await h.request('GET', '/v1/tenants', { key: h.env.adminKey });
    expect(tenants.status).toBe(200);
    expect(TenantList.parse(tenants.body).items).toContainEqual({ id: tenant.id, name: 'listed', createdAt: expect.any(String) });

    const keys = await h.request('GET', `/v1/tenants/${tenant.id}/keys`, { key: h.env.adminKey });
    expect(keys.status).toBe(200);
    const items = ApiKeyList.parse(keys.body).items;
    expect(items.map((k) => k.id)).toEqual([tenant.keyId, second.id]);
    expect(items[0]).toMatchObject({ prefix: tenant.apiKey.slice(0, 12), lastUsedAt: expect.any(String) });
    expect(items[1]).toMatchObject({ prefix: second.prefix, lastUsedAt: null });
    expect(JSON.stringify(keys.body)).not.toContain(tenant.apiKey);

    // The first key can be revoked by its id.
    expect((await h.request('DELETE', `/v1/tenants/${tenant.id}/keys/${tenant.keyId}`, { key: h.env.adminKey })).status).toBe(204);
    expectApiError(await h.request('GET', `/v1/tenants/${crypto.randomUUID()}/keys`, { key: h.env.adminKey }), 404, 'not_found');
    expectApiError(await h.request('GET', '/v1/tenants', { key: second.apiKey }), 403, 'forbidden');
  });

  it('shows operators the quarantined incoming messages, newest first (admin key only)', async () => {
    const tenant = await h.createTenant();
    const account = await h.createAccount(tenant.apiKey);
    await h.db.quarantine.add({ accountId: account.id, externalId: 'sbx-1', reason: '22021 invalid byte sequence', payload: '{"text":"a\\u0000"}' });
    const res = await h.request('GET', '/v1/quarantined-messages?limit=5', { key: h.env.adminKey });
    expect(res.status).toBe(200);
    expect(QuarantinedMessageList.parse(res.body).items[0]).toMatchObject({ tenantId: tenant.id, accountId: account.id, externalId: 'sbx-1', reason: '22021 invalid byte sequence' });
    expectApiError(await h.request('GET', '/v1/quarantined-messages', { key: tenant.apiKey }), 403, 'forbidden');
    expect(detailPaths(expectApiError(await h.request('GET', '/v1/quarantined-messages?limit=0', { key: h.env.adminKey }), 400, 'validation_failed'))).toEqual(['limit']);
  });

  it('refuses an invalid tenant body naming the field', async () => {
    const res = await h.request('POST', '/v1/tenants', { key: h.env.adminKey, json: { name: '' } });
    expect(detailPaths(expectApiError(res, 400, 'validation_failed'))).toEqual(['name']);
  });

  it('answers 401 without a key or with an unknown one', async () => {
    expectApiError(await h.request('POST', '/v1/tenants', { json: { name: 'x' } }), 401, 'unauthorized');
    expectApiError(await h.request('GET', '/v1/accounts', { key: 'sb_not-a-key' }), 401, 'unauthorized');
    expectApiError(await h.request('GET', '/v1/accounts', { headers: { authorization: 'Token abc' } }), 401, 'unauthorized');
  });

  it('gives a tenant key 403 on tenant management and the admin key 403 on tenant routes', async () => {
    const tenant = await h.createTenant();
    expectApiError(await h.request('POST', '/v1/tenants', { key: tenant.apiKey, json: { name: 'x' } }), 403, 'forbidden');
    expectApiError(await h.request('POST', `/v1/tenants/${tenant.id}/keys`, { key: tenant.apiKey }), 403, 'forbidden');
    expectApiError(await h.request('GET', '/v1/accounts', { key: h.env.adminKey }), 403, 'forbidden');
    expectApiError(await h.request('POST', '/v1/accounts', { key: h.env.adminKey, json: { provider: 'sandbox', name: 'a' } }), 403, 'forbidden');
  });

  it('issues another working key, and 404 for an unknown tenant', async () => {
    const tenant = await h.createTenant();
    const res = await h.request('POST', `/v1/tenants/${tenant.id}/keys`, { key: h.env.adminKey });
    expect(res.status).toBe(201);
    const second = ApiKeyCreated.parse(res.body);
    expect(second.apiKey).not.toBe(tenant.apiKey);
    expect((await h.request('GET', '/v1/accounts', { key: second.apiKey })).status).toBe(200);

    expectApiError(await h.request('POST', `/v1/tenants/${crypto.randomUUID()}/keys`, { key: h.env.adminKey }), 404, 'not_found');
    expectApiError(await h.request('POST', '/v1/tenants/not-a-uuid/keys', { key: h.env.adminKey }), 404, 'not_found');
  });

  it('revokes a key at once, announces it on the control channel, and 404s an unknown key', async () => {
    const tenant = await h.createTenant();
    const { id: keyId, apiKey } = ApiKeyCreated.parse(
      (await h.request('POST', `/v1/tenants/${tenant.id}/keys`, { key: h.env.adminKey })).body,
    );
    // Used once, so this instance has it cached.
    expect((await h.request('GET', '/v1/accounts', { key: apiKey })).status).toBe(200);

    const subscriber = createRedis(h.env.redisUrl, 'blocking', 'test-control');
    try {
      await subscriber.subscribe(h.keys.control);
      const announced = once(subscriber, 'message');
      const res = await h.request('DELETE', `/v1/tenants/${tenant.id}/keys/${keyId}`, { key: h.env.adminKey });
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      const [channel, message] = (await announced) as [string, string];
      expect(channel).toBe(h.keys.control);
      expect(JSON.parse(message)).toEqual({ type: 'key.revoked', keyId });
    } finally {
      subscriber.disconnect();
    }

    expectApiError(await h.request('GET', '/v1/accounts', { key: apiKey }), 401, 'unauthorized');
    expect((await h.request('GET', '/v1/accounts', { key: tenant.apiKey })).status).toBe(200);
    expectApiError(await h.request('DELETE', `/v1/tenants/${tenant.id}/keys/${keyId}`, { key: h.env.adminKey }), 404, 'not_found');
    const other = await h.createTenant('other');
    const otherKeyId = (await h.db.knex('api_key').where({ tenant_id: other.id }).first('id')).id as string;
    expectApiError(await h.request('DELETE', `/v1/tenants/${tenant.id}/keys/${otherKeyId}`, { key: h.env.adminKey }), 404, 'not_found');
  });

  it('makes every api instance drop a revoked key from its auth cache', async () => {
    const second = await h.startSecondApi({});
    const tenant = await h.createTenant();
    const { id: keyId, apiKey } = ApiKeyCreated.parse(
      (await h.request('POST', `/v1/tenants/${tenant.id}/keys`, { key: h.env.adminKey })).body,
    );
    expect((await request(second.url, 'GET', '/v1/accounts', { key: apiKey })).status).toBe(200);

    expect((await h.request('DELETE', `/v1/tenants/${tenant.id}/keys/${keyId}`, { key: h.env.adminKey })).status).toBe(204);
    // Well inside the 5 s cache TTL: only the control message can have evicted it.
    await waitFor(async () => (await request(second.url, 'GET', '/v1/accounts', { key: apiKey })).status === 401, {
      timeoutMs: 2_000,
      description: 'the second instance to refuse the revoked key',
    });
  });
});
