import { ClusterView } from '@switchboard/contracts';
import { partitionOf } from '@switchboard/queue';
import { expectApiError, startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('GET /v1/admin/cluster: workers, the partitions they hold and their sessions', () => {
  let h: ApiHarness;
  let tenantKey: string;

  beforeAll(async () => {
    h = await startApiHarness('api-admin', { PARTITIONS: '4', LEASE_TTL_MS: '5000' });
    tenantKey = (await h.createTenant()).apiKey;
  });
  afterAll(() => h.close());

  it('needs the admin key', async () => {
    expectApiError(await h.request('GET', '/v1/admin/cluster'), 401, 'unauthorized');
    expectApiError(await h.request('GET', '/v1/admin/cluster', { key: tenantKey }), 403, 'forbidden');
  });

  it('reads heartbeats and leases from Redis and counts sessions from the accounts', async () => {
    const now = Date.now();
    // What two workers leave in Redis: w1 live and holding partitions 0 and 1, w2 silent and holding 2.
    await h.redis.zadd(h.keys.workers, now, 'w1', now - 60_000, 'w2');
    await h.redis.set(h.keys.lease(0), 'w1|7', 'PX', 60_000);
    await h.redis.set(h.keys.lease(1), 'w1|3', 'PX', 60_000);
    await h.redis.set(h.keys.lease(2), 'w2|1', 'PX', 60_000);
    const accounts = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => h.createAccount(tenantKey, 'sandbox', name)));
    const statuses = ['connected', 'qr', 'disconnected', 'failed', 'reconnecting', 'logged_out'];
    await Promise.all(accounts.map((a, i) => h.db.knex('account').where({ id: a.id }).update({ status: statuses[i] })));
    const expectedSessions = (partitions: number[]) =>
      accounts.filter((a, i) => ['connected', 'qr', 'reconnecting'].includes(statuses[i]!) && partitions.includes(partitionOf(a.id, 4))).length;

    const res = await h.request('GET', '/v1/admin/cluster', { key: h.env.adminKey });
    expect(res.status).toBe(200);
    const view = ClusterView.parse(res.body);
    expect(view).toEqual({
      partitions: 4,
      unownedPartitions: [3],
      workers: [
        { id: 'w1', lastHeartbeatAt: new Date(now).toISOString(), live: true, partitions: [0, 1], sessions: expectedSessions([0, 1]) },
        { id: 'w2', lastHeartbeatAt: new Date(now - 60_000).toISOString(), live: false, partitions: [2], sessions: expectedSessions([2]) },
      ],
    });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(doc.paths['/v1/admin/cluster']).toBeDefined();
  });
});
