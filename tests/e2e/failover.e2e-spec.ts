import { partitionOf } from '@switchboard/queue';
import { SwitchboardSystem, type Tenant } from '@switchboard/testing';
import { expectDeliveredExactlyOnce, expectOneClientEach, sendMany } from '@switchboard/testing';

const LEASE_TTL_MS = 2000;

describe('a worker dies (kill -9) while sends are queued for its accounts', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-failover', { LEASE_TTL_MS: String(LEASE_TTL_MS), SEND_RATE_PER_SECOND: '4', SEND_BURST: '2' });
    await system.startApi();
    await system.startWorkers('fo-w1', 'fo-w2');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('moves its accounts to the other worker within LEASE_TTL_MS + 5 s, without a new QR, delivering every send exactly once', async () => {
    const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => system.createSandboxAccount(tenant, `fo-${i}`)));
    await Promise.all(accounts.map((a) => system.connectByQr(tenant, a.id)));
    const owned = await system.waitForFullOwnership(['fo-w1', 'fo-w2']);
    const victimId = [...owned].find(([, ps]) => accounts.some((a) => ps.includes(partitionOf(a.id, system.partitions))))?.[0] as string;
    const survivorId = victimId === 'fo-w1' ? 'fo-w2' : 'fo-w1';
    const victimAccounts = accounts.filter((a) => (owned.get(victimId) ?? []).includes(partitionOf(a.id, system.partitions)));
    expect(victimAccounts.length).toBeGreaterThan(0);

    // Paced at 4/s per account with a burst of 2, most of these are still queued when the owner dies.
    const messages = await sendMany(system, tenant, victimAccounts.map((a) => a.id), 40, 'failover');
    const [{ queued }] = await system.sql<{ queued: number }>("select count(*)::int as queued from message where status in ('queued', 'sending') and id = any($1)", [messages.map((m) => m.id)]);
    expect(queued).toBeGreaterThan(0);
    const eventsBeforeKill = system.events.events.length;
    const killedAt = Date.now();
    await system.worker(victimId).kill9();

    await system.waitForFullOwnership([survivorId], LEASE_TTL_MS + 5_000);
    await Promise.all(victimAccounts.map((a) => system.waitForStatus(a.id, 'connected', eventsBeforeKill, Math.max(1, killedAt + LEASE_TTL_MS + 5_000 - Date.now()))));

    const newQrs = system.events.events.slice(eventsBeforeKill).filter((e) => e.kind === 'account.qr');
    expect(newQrs).toEqual([]);
    await system.waitForStoredMessages(messages.map((m) => m.id), ['sent', 'delivered', 'read'], 45_000);
    await expectDeliveredExactlyOnce(system, messages);
    await expectOneClientEach(system, tenant, accounts.map((a) => a.id));
  });
});
