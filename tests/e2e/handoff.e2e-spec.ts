import { SwitchboardSystem, type Tenant } from '@switchboard/testing';
import { expectDeliveredExactlyOnce, expectOneClientEach, sendMany } from '@switchboard/testing';

describe('a third worker joins under traffic', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-handoff', { SEND_RATE_PER_SECOND: '30', SEND_BURST: '3' });
    await system.startApi();
    await system.startWorkers('ho-w1', 'ho-w2');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('moves partitions to it by graceful hand-off; no send is lost or repeated', async () => {
    const accounts = await Promise.all(Array.from({ length: 10 }, (_, i) => system.createSandboxAccount(tenant, `ho-${i}`)));
    await Promise.all(accounts.map((a) => system.connectByQr(tenant, a.id)));
    const before = await system.waitForFullOwnership(['ho-w1', 'ho-w2']);

    const first = await sendMany(system, tenant, accounts.map((a) => a.id), 40, 'before-join');
    const joining = system.startWorker('ho-w3');
    const during = await sendMany(system, tenant, accounts.map((a) => a.id), 40, 'during-join');
    await joining;
    const after = await system.waitForFullOwnership(['ho-w1', 'ho-w2', 'ho-w3']);
    const last = await sendMany(system, tenant, accounts.map((a) => a.id), 20, 'after-join');

    expect(after.get('ho-w3')?.length).toBeGreaterThan(0);
    const moved = (after.get('ho-w3') ?? []).filter((p) => before.get('ho-w1')?.includes(p) || before.get('ho-w2')?.includes(p));
    expect(moved).toEqual(after.get('ho-w3'));
    // The previous owners handed over (drained) rather than being fenced.
    const w1 = system.worker('ho-w1');
    const w2 = system.worker('ho-w2');
    expect(`${w1.tail(2000)}\n${w2.tail(2000)}`).toMatch(/partition handed over/);
    expect(`${w1.tail(2000)}\n${w2.tail(2000)}`).not.toMatch(/lease lost/);

    const all = [...first, ...during, ...last];
    await system.waitForMessages(all.map((m) => m.id), ['sent', 'delivered', 'read'], 60_000);
    await expectDeliveredExactlyOnce(system, all);
    await expectOneClientEach(system, tenant, accounts.map((a) => a.id));
  });
});
