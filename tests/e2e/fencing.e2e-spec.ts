import { partitionOf } from '@switchboard/queue';
import { SwitchboardSystem, type Tenant } from '@switchboard/testing';
import { expectDeliveredExactlyOnce, expectOneClientEach, sendMany } from '@switchboard/testing';

const LEASE_TTL_MS = 2000;

describe('fencing: a worker frozen past its lease (SIGSTOP, then SIGCONT)', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-fencing', { LEASE_TTL_MS: String(LEASE_TTL_MS) });
    await system.startApi();
    await system.startWorkers('fe-w1', 'fe-w2');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('stops those sessions on waking and never sends under its stale lease again', async () => {
    const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => system.createSandboxAccount(tenant, `fe-${i}`)));
    await Promise.all(accounts.map((a) => system.connectByQr(tenant, a.id)));
    const owned = await system.waitForFullOwnership(['fe-w1', 'fe-w2']);
    const frozenId = [...owned].find(([, ps]) => accounts.some((a) => ps.includes(partitionOf(a.id, system.partitions))))?.[0] as string;
    const otherId = frozenId === 'fe-w1' ? 'fe-w2' : 'fe-w1';
    const frozenAccounts = accounts.filter((a) => (owned.get(frozenId) ?? []).includes(partitionOf(a.id, system.partitions)));

    const warmUp = await sendMany(system, tenant, frozenAccounts.map((a) => a.id), frozenAccounts.length, 'warm-up');
    await system.waitForMessages(warmUp.map((m) => m.id), ['sent', 'delivered', 'read']);
    const staleFences = new Set<string>();
    for (const a of frozenAccounts) for (const item of await system.outbox(a.id)) if (item.sentBy?.workerId === frozenId) staleFences.add(item.sentBy.fence);
    expect(staleFences.size).toBeGreaterThan(0);

    const frozen = system.worker(frozenId);
    frozen.signal('SIGSTOP');
    const frozenAt = new Date();
    try {
      // The other worker takes over once the frozen one's leases expire.
      await system.waitForAllLeases(otherId, LEASE_TTL_MS + 5_000);
      const duringFreeze = await sendMany(system, tenant, frozenAccounts.map((a) => a.id), 20, 'during-freeze');
      await system.waitForMessages(duringFreeze.map((m) => m.id), ['sent', 'delivered', 'read']);
      warmUp.push(...duringFreeze);
    } finally {
      frozen.signal('SIGCONT');
    }
    await frozen.waitForOutput(/partition lease lost/, 10_000);
    const afterWake = await sendMany(system, tenant, frozenAccounts.map((a) => a.id), 20, 'after-wake');
    await system.waitForMessages(afterWake.map((m) => m.id), ['sent', 'delivered', 'read'], 30_000);

    for (const a of frozenAccounts) {
      for (const item of await system.outbox(a.id)) {
        const stale = item.sentBy?.workerId === frozenId && staleFences.has(item.sentBy.fence);
        if (stale) expect(new Date(item.at).getTime()).toBeLessThan(frozenAt.getTime());
      }
    }
    await expectDeliveredExactlyOnce(system, [...warmUp, ...afterWake]);
    await expectOneClientEach(system, tenant, accounts.map((a) => a.id));
  });
});
