import { Message } from '@switchboard/contracts';
import { partitionOf, partitionQueueName } from '@switchboard/queue';
import { detailPaths, expectApiError, request, startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('operations: health, readiness, metrics, Bull Board, docs and generic errors', () => {
  let h: ApiHarness;
  let tenantKey: string;

  beforeAll(async () => {
    h = await startApiHarness('api-operations');
    tenantKey = (await h.createTenant()).apiKey;
  });
  afterAll(() => h.close());

  const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

  it('is live and ready when Redis and PostgreSQL answer', async () => {
    const health = await h.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await h.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok' });
  });

  it('starts with Redis unreachable, answers 503 on /readyz naming Redis, and closes', async () => {
    const started = Date.now();
    const offline = await h.startSecondApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const ready = await request(offline.url, 'GET', '/readyz');
    expect(detailPaths(expectApiError(ready, 503, 'unavailable'))).toEqual(['redis']);
    expect((await request(offline.url, 'GET', '/healthz')).status).toBe(200);
    // Requests that need Redis answer 503 at once instead of hanging.
    const account = await h.createAccount(tenantKey);
    expectApiError(await request(offline.url, 'POST', `/v1/accounts/${account.id}/connect`, { key: tenantKey }), 503, 'unavailable');
    expectApiError(await request(offline.url, 'GET', `/v1/accounts/${account.id}/qr`, { key: tenantKey }), 503, 'unavailable');
    // What needs only PostgreSQL still works.
    expect((await request(offline.url, 'GET', `/v1/accounts/${account.id}`, { key: tenantKey })).status).toBe(200);
    await offline.close();
  });

  it('serves Prometheus metrics to the admin key only: defaults, durations by route pattern, queue gauges', async () => {
    const account = await h.createAccount(tenantKey);
    const sent = Message.parse((await h.request('POST', `/v1/accounts/${account.id}/messages`, { key: tenantKey, json: { to: 'x', text: 'y' } })).body);
    await h.request('GET', `/v1/accounts/${account.id}`, { key: tenantKey });

    expectApiError(await h.request('GET', '/metrics'), 401, 'unauthorized');
    expectApiError(await h.request('GET', '/metrics', { key: tenantKey }), 403, 'forbidden');
    const res = await h.request('GET', '/metrics', { key: h.env.adminKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.body as string;
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/switchboard_http_request_duration_seconds_count\{method="GET",route="\/v1\/accounts\/:id",status="200"\} \d+/);
    expect(text).not.toContain(account.id);
    const queue = partitionQueueName(partitionOf(account.id, h.config.PARTITIONS));
    const waiting = new RegExp(`switchboard_queue_jobs\\{queue="${queue.replace('.', '\\.')}",state="waiting"\\} (\\d+)`).exec(text);
    expect(Number(waiting?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`switchboard_queue_jobs{queue="account-jobs.0",state="failed"}`);
    expect(await h.producer.queue(partitionOf(account.id, h.config.PARTITIONS)).getJob(sent.id)).toBeDefined();
  });

  it('opens Bull Board with the admin key as bearer or basic password, challenges without credentials, 403 for a tenant key', async () => {
    const none = await h.request('GET', '/admin/queues');
    expectApiError(none, 401, 'unauthorized');
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="Switchboard"');
    expectApiError(await h.request('GET', '/admin/queues', { headers: { authorization: basic('wrong') } }), 401, 'unauthorized');
    expectApiError(await h.request('GET', '/admin/queues', { key: tenantKey }), 403, 'forbidden');
    expectApiError(await h.request('GET', '/admin/queues', { headers: { authorization: basic(tenantKey) } }), 403, 'forbidden');

    const page = await h.request('GET', '/admin/queues', { headers: { authorization: basic(h.env.adminKey) } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<base href="/admin/queues/"');
    const api = await h.request('GET', '/admin/queues/api/queues?activeQueue=&page=1&jobsPerPage=1', { key: h.env.adminKey });
    expect(api.status).toBe(200);
    const names = (api.body as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toHaveLength(h.config.PARTITIONS);
    expect(names).toContain('account-jobs.0');
  });

  it('serves the OpenAPI document and a Swagger UI page that works under helmet’s CSP', async () => {
    const spec = await h.request('GET', '/openapi.json');
    expect(spec.status).toBe(200);
    const document = spec.body as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/tenants', '/v1/accounts/{id}/messages', '/v1/media/{sha256}', '/v1/sandbox/accounts/{id}/outbox']),
    );

    for (const path of ['/docs', '/docs/']) {
      const page = await h.request('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      const scripts = [...(page.body as string).matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
      expect(scripts).toEqual(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-standalone-preset.js', '/docs/swagger-ui-init.js']);
      expect(page.body).not.toMatch(/<script>/);
    }
    const init = await h.request('GET', '/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.body).toContain('/openapi.json');
    const bundle = await fetch(`${h.api.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it('answers unknown routes with 404 in the error shape, with helmet headers', async () => {
    const res = await h.request('GET', '/no/such/route');
    expectApiError(res, 404, 'not_found');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expectApiError(await h.request('POST', '/v1/nothing-here', { key: tenantKey, json: {} }), 404, 'not_found');
  });

  it('answers malformed JSON with 400 validation_failed, never 500', async () => {
    const res = await h.request('POST', '/v1/accounts', { key: tenantKey, raw: '{"provider": "sandbox", "name": ' });
    expectApiError(res, 400, 'validation_failed');
    const admin = await h.request('POST', '/v1/tenants', { key: h.env.adminKey, raw: 'not json' });
    expectApiError(admin, 400, 'validation_failed');
  });
});
