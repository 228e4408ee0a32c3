import { performance } from 'node:perf_hooks';
import { partitionOf } from '@switchboard/queue';
import type { Fleet } from '../fleet';
import { drain, openLoop } from '../send-traffic';
import { PLAN, leaseTtlMs } from '../settings';
import type { Figures } from './figures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LABEL = 'fo';

/** The live worker whose partitions hold the most of the fleet's accounts. */
async function pickVictim(fleet: Fleet): Promise<{ workerId: string; accountIds: string[] }> {
  const owned = await fleet.system.waitForFullOwnership([...PLAN.workers]);
  let best = { workerId: '', accountIds: [] as string[] };
  for (const [workerId, partitions] of owned) {
    const mine = new Set(partitions);
    const accountIds = fleet.accountIds.filter((id) => mine.has(partitionOf(id, fleet.system.partitions)));
    if (accountIds.length > best.accountIds.length) best = { workerId, accountIds };
  }
  if (!best.workerId) throw new Error('no worker owns any account');
  return best;
}

/** How many times the simulated network recorded each of these texts (unique per send). */
async function deliveriesByText(fleet: Fleet): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const accountId of fleet.accountIds) {
    for (const item of await fleet.system.outbox(accountId)) {
      if (item.text?.startsWith(`${LABEL}-`)) counts.set(item.text, (counts.get(item.text) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * kill -9 of the worker owning the most accounts while sends flow at a moderate rate: time until
 * each of its accounts is `connected` again elsewhere, then every send checked for exactly once.
 */
export async function runFailover(fleet: Fleet, log: (line: string) => void): Promise<Figures> {
  const { ratePerS, killAfterMs, afterRecoveryMs, extraWaitMs, drainTimeoutMs } = PLAN.failover;
  const { system, live } = fleet;
  const victim = await pickVictim(fleet);
  log(`failover: killing ${victim.workerId}, owner of ${victim.accountIds.length}/${fleet.accountIds.length} accounts`);

  let stop = false;
  const maxTrafficMs = killAfterMs + leaseTtlMs() + extraWaitMs + afterRecoveryMs;
  const traffic = openLoop(fleet.target, LABEL, ratePerS, maxTrafficMs, () => stop);
  await sleep(killAfterMs);
  const killedAt = performance.now();
  await system.worker(victim.workerId).kill9();

  const backAt = () => victim.accountIds.map((id) => live.firstStatusAfter(id, 'connected', killedAt));
  const recovered = await live.until(() => backAt().every((t) => t !== undefined), leaseTtlMs() + extraWaitMs, 10);
  const times = backAt().filter((t): t is number => t !== undefined);
  const failoverMs = recovered ? Math.max(...times) - killedAt : performance.now() - killedAt;
  await sleep(afterRecoveryMs);
  stop = true;
  const { posts } = await traffic;

  const drained = await drain(live, posts, drainTimeoutMs);
  const ids = posts.flatMap((p) => (p.id ? [p.id] : []));
  const notSent = new Set(
    (await system.sql<{ id: string }>("select id from message where id = any($1) and status not in ('sent', 'delivered', 'read')", [ids])).map((r) => r.id),
  );
  const delivered = await deliveriesByText(fleet);
  // Lost: refused by the API, never `sent` in PostgreSQL, or never reached the network.
  // Post i carries the text `fo-i` (send-traffic numbers them in order).
  const lost = posts.filter((p, i) => !p.id || notSent.has(p.id) || !delivered.has(`${LABEL}-${i}`)).length;
  let repeated = 0;
  for (const n of delivered.values()) repeated += n - 1;
  log(
    `failover: ${recovered ? 'all back' : `only ${times.length}/${victim.accountIds.length} back`} after ${(failoverMs / 1000).toFixed(2)} s; ` +
      `${posts.length} sends (${posts.length - ids.length} refused, ${notSent.size} not sent${drained ? '' : ', drain timed out'}), ${lost} lost, ${repeated} repeated`,
  );
  return {
    failover_s: failoverMs / 1000,
    failover_recovered: recovered ? 1 : 0,
    failover_accounts_moved: victim.accountIds.length,
    failover_sends: posts.length,
    failover_lost: lost,
    failover_repeated: repeated,
    failover_duplicate_sent_events: live.duplicateSent,
  };
}
