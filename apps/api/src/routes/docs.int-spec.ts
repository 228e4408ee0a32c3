import { randomUUID } from 'node:crypto';
import { ROUTES } from '@switchboard/contracts';
import { startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('the OpenAPI document and the routes served', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness('api-docs', { SANDBOX_ENABLED: 'true' });
  });
  afterAll(() => h.close());

  it('names every operation once, with a tag and a summary', () => {
    const ids = ROUTES.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of ROUTES) expect({ id: route.operationId, tag: !!route.tag, summary: !!route.summary }).toEqual({ id: route.operationId, tag: true, summary: true });
  });

  it('serves every documented route (none falls through to “no route”)', async () => {
    const missing: string[] = [];
    for (const route of ROUTES) {
      // Any id fits the path: the route answers (401, 404 for the resource, …) rather than “No route”.
      const path = route.path.replace(/\{(\w+)\}/g, (_all, name: string) => (name === 'sha256' ? '0'.repeat(64) : randomUUID()));
      const res = await h.request(route.method.toUpperCase(), path);
      const message = (res.body as { error?: { message?: string } }).error?.message ?? '';
      if (message.startsWith('No route for')) missing.push(`${route.method} ${route.path}`);
    }
    expect(missing).toEqual([]);
  });
});
