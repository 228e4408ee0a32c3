import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (path: string) => readFileSync(join(process.cwd(), path), 'utf8');

describe('docs/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(read('docs/grafana-dashboard.json')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const exported = ['apps/api/src/metrics/api-metrics.ts', 'apps/api/src/http/request-metrics.ts', 'apps/worker/src/metrics/worker-metrics.ts']
    .map(read)
    .join('\n');

  it('queries only metrics that the api and the worker export', () => {
    const used = new Set(
      dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/switchboard_[a-z_]+/g) ?? [])).map((m) => m.replace(/_(bucket|count|sum)$/, '')),
    );
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((metric) => !exported.includes(`'${metric}'`));
    expect(missing).toEqual([]);
  });
});
