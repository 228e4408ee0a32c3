import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { ClusterView } from '../api/api-types';
import { timeOf } from './format';

const REFRESH_MS = 2000;

/** Which worker holds which partitions and how many sessions: refreshed every two seconds. */
export function ClusterPage({ api }: { api: ApiClient }) {
  const [view, setView] = useState<ClusterView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const refresh = async () => {
      try {
        const next = await api.cluster();
        if (live) {
          setView(next);
          setError(null);
        }
      } catch (failure) {
        if (live) setError((failure as Error).message);
      }
      if (live) timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api]);

  return (
    <section class="page" aria-labelledby="cluster-title">
      <h2 id="cluster-title">Cluster</h2>
      <p>
        <a href="/admin/queues" target="_blank" rel="noopener">
          Open Bull Board
        </a>{' '}
        (the queues; the browser asks for the admin key as the password).
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {view && (
        <>
          <p class="muted">
            {view.partitions} partitions · {view.workers.length} {view.workers.length === 1 ? "worker" : "workers"}
            {view.unownedPartitions.length > 0 && ` · unowned: ${view.unownedPartitions.join(', ')}`}
          </p>
          <table class="cluster">
            <caption class="visually-hidden">Workers</caption>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Heartbeat</th>
                <th scope="col">Sessions</th>
                <th scope="col">Partitions</th>
              </tr>
            </thead>
            <tbody>
              {view.workers.map((w) => (
                <tr key={w.id} data-worker-id={w.id}>
                  <th scope="row">
                    <span class={`dot ${w.live ? 'dot-live' : 'dot-dead'}`} aria-label={w.live ? 'live' : 'silent'} role="img" /> {w.id}
                  </th>
                  <td>{timeOf(w.lastHeartbeatAt)}</td>
                  <td>{w.sessions}</td>
                  <td class="partitions">
                    {w.partitions.length} {w.partitions.length > 0 && <span class="muted">({w.partitions.join(', ')})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
