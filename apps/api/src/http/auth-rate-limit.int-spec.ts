import { startApiHarness, expectApiError, type ApiHarness } from '../test-support/api-harness';

describe('rate limit of failed authentications', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness('api-auth-rate-limit');
  });
  afterAll(() => h?.close());

  it('answers 429 with Retry-After once one address has failed too often with one key prefix, before the key is checked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await h.request('GET', '/v1/accounts', { key: `sb_guessing-${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);

    const limited = await h.request('GET', '/v1/accounts', { key: 'sb_guessing-and-more' });
    expectApiError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another key prefix from the same address still gets an answer on its merits, until the per-address limit.
    const tenant = await h.createTenant();
    expect((await h.request('GET', '/v1/accounts', { key: tenant.apiKey })).status).toBe(200);
    expectApiError(await h.request('GET', '/v1/accounts', { key: 'sb_other-guess' }), 401, 'unauthorized');
  });
});
