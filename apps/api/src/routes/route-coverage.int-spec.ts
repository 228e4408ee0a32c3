import type { Express } from 'express';
import { ROUTES } from '@switchboard/contracts';
import { startApiHarness, type ApiHarness } from '../test-support/api-harness';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route the Express app serves (Express 5's router stack). */
function servedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

// Served for people, not for API clients: the docs page and the document itself.
const NOT_API = new Set(['GET /openapi.json', 'GET /docs']);

describe('the OpenAPI routes and the served routes', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness('api-route-coverage');
  });
  afterAll(() => h?.close());

  it('are the same list: nothing served is undocumented, nothing documented is missing', () => {
    const app = h.api.server.listeners('request')[0] as Express;
    const served = servedRoutes(app).filter((r) => !NOT_API.has(r) && !r.startsWith('GET /admin/queues'));
    const documented = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });
});
