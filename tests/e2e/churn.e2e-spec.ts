import type { Message } from '@switchboard/contracts';
import { expectDeliveredExactlyOnce, expectOneClientEach, SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';

const LEASE_TTL_MS = 3000;
const ACCOUNTS = 200;
const ROUNDS = 6;

describe('churn: workers started and killed while restores run and sends flow (200 accounts, three workers)', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-churn', {
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      PARTITIONS: '16',
      // Restores paced so that they are still running when the next worker goes.
      RESTORE_CONCURRENCY_SANDBOX: '10',
      RESTORE_SPACING_MS_SANDBOX: '20',
    });
    await system.startApi();
    await system.startWorkers('ch-1', 'ch-2', 'ch-3');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('ends with every account connected on exactly one client, zero conflicts, and every send delivered exactly once', async () => {
    const accounts = [];
    for (let i = 0; i < ACCOUNTS; i += 50) {
      const chunk = await Promise.all(Array.from({ length: Math.min(50, ACCOUNTS - i) }, (_, j) => system.createSandboxAccount(tenant, `ch-${i + j}`)));
      await Promise.all(chunk.map((a) => system.connectByQr(tenant, a.id)));
      accounts.push(...chunk);
    }
    const ids = accounts.map((a) => a.id);

    // Sends flow the whole time, one request after another, to accounts round-robin.
    const sent: Message[] = [];
    let sending = true;
    const sender = (async () => {
      for (let i = 0; sending; i++) sent.push(await system.send(tenant, ids[(i * 7) % ids.length] as string, `contact-${i % 5}`, `churn-${i}`));
    })();

    let live = ['ch-1', 'ch-2', 'ch-3'];
    let next = 4;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const victim = live[round % live.length] as string;
        if (round % 2 === 0) await system.worker(victim).kill9();
        else await system.worker(victim).stop();
        live = live.filter((w) => w !== victim);
        const newcomer = `ch-${next++}`;
        await system.startWorker(newcomer);
        live.push(newcomer);
        // The partitions are spread again; the restores they bring are still running.
        await system.waitForFullOwnership(live, LEASE_TTL_MS + 20_000);
      }
    } finally {
      sending = false;
      await sender;
    }

    await waitFor(
      async () => (await system.sql<{ n: number }>("select count(*)::int as n from account where status <> 'connected'"))[0]?.n === 0,
      { timeoutMs: 60_000, description: 'every account to be connected' },
    );
    await system.waitForStoredMessages(sent.map((m) => m.id), ['sent', 'delivered', 'read'], 60_000);
    expect(sent.length).toBeGreaterThan(50);
    await expectDeliveredExactlyOnce(system, sent);
    await expectOneClientEach(system, tenant, ids);
  }, 300_000);
});
