import { performance } from 'node:perf_hooks';
import { SwitchboardSystem } from '@switchboard/testing';
import { memoryOf } from '../process-memory';
import { seedRestorableAccounts } from '../seed-accounts';
import { PLAN } from '../settings';
import type { Figures } from './figures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectedCount(system: SwitchboardSystem): Promise<number> {
  const [row] = await system.sql<{ n: number }>("select count(*)::int as n from account where status = 'connected'");
  return row?.n ?? 0;
}

/** Starts one worker and waits (bounded) until `expected` accounts are connected; seconds from spawn. */
async function restoreWith(system: SwitchboardSystem, workerId: string, expected: number): Promise<{ seconds: number; pid: number }> {
  const spawnedAt = performance.now();
  const worker = await system.startWorker(workerId, { RESTORE_CONCURRENCY_SANDBOX: String(PLAN.scale.restoreConcurrency) });
  const deadline = spawnedAt + PLAN.scale.restoreTimeoutMs;
  let connected = 0;
  while ((connected = await connectedCount(system)) < expected) {
    if (performance.now() > deadline || !worker.running) {
      throw new Error(`${workerId} restored ${connected} of ${expected} accounts within ${PLAN.scale.restoreTimeoutMs} ms (log: ${worker.logPath})`);
    }
    await sleep(50);
  }
  return { seconds: (performance.now() - spawnedAt) / 1000, pid: worker.pid };
}

/**
 * One worker's resident memory with 1,000 and then 5,000 connected sandbox accounts, and the
 * time it takes to restore them, in an environment of its own (fresh database and prefix).
 */
export async function runScale(system: SwitchboardSystem, log: (line: string) => void): Promise<Figures> {
  const { first, total, settleMs } = PLAN.scale;
  await system.startApi();
  const tenant = await system.createTenant('bench-scale');
  await seedRestorableAccounts(system, tenant.id, first, 'scale');

  const r1 = await restoreWith(system, 'bench-scale-1', first);
  await sleep(settleMs);
  const m1 = await memoryOf(r1.pid);
  log(`scale: ${first} accounts restored in ${r1.seconds.toFixed(2)} s; worker RSS ${m1.rssMb.toFixed(0)} MB (peak ${m1.peakMb.toFixed(0)} MB)`);

  await seedRestorableAccounts(system, tenant.id, total - first, 'scale-more');
  await system.worker('bench-scale-1').stop();
  // A graceful stop keeps sessions (and the last status) stored; counting starts from zero again.
  await system.sql("update account set status = 'disconnected'");
  const r2 = await restoreWith(system, 'bench-scale-2', total);
  await sleep(settleMs);
  const m2 = await memoryOf(r2.pid);
  log(`scale: ${total} accounts restored in ${r2.seconds.toFixed(2)} s; worker RSS ${m2.rssMb.toFixed(0)} MB (peak ${m2.peakMb.toFixed(0)} MB)`);

  return {
    restore_1000_s: r1.seconds,
    worker_rss_mb_1000: m1.rssMb,
    worker_peak_rss_mb_1000: m1.peakMb,
    restore_5000_s: r2.seconds,
    worker_rss_mb_5000: m2.rssMb,
    worker_peak_rss_mb_5000: m2.peakMb,
    restore_concurrency_sandbox: PLAN.scale.restoreConcurrency,
  };
}
