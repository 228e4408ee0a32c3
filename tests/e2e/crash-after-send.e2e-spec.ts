import { expectDeliveredExactlyOnce, expectOneClientEach, SwitchboardSystem, type Tenant } from '@switchboard/testing';

const LEASE_TTL_MS = 2000;
const FATAL_TEXT = 'the provider takes this one, then the worker dies';

describe('a worker killed between the provider accepting a send and the worker storing it', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-crash-after-send', { LEASE_TTL_MS: String(LEASE_TTL_MS) });
    await system.startApi();
    // The only worker at first: it owns every account, and dies right after the provider's answer.
    await system.startWorker('cs-doomed', { FAULT_INJECTION: `kill-after-send:${FATAL_TEXT}` });
    await system.waitForFullOwnership(['cs-doomed']);
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('leads to no repeat: the next owner asks the network before sending again', async () => {
    const account = await system.createSandboxAccount(tenant, 'crash');
    await system.connectByQr(tenant, account.id);
    const before = await system.send(tenant, account.id, 'alice', 'before the crash');
    await system.waitForMessages([before.id], ['sent', 'delivered', 'read']);

    const doomed = system.worker('cs-doomed');
    const fatal = await system.send(tenant, account.id, 'alice', FATAL_TEXT);
    await doomed.waitForExit(20_000);
    // The provider has it; we never stored that it went out.
    expect((await system.outbox(account.id)).filter((i) => i.text === FATAL_TEXT)).toHaveLength(1);
    const [row] = await system.sql<{ status: string }>('select status from message where id = $1', [fatal.id]);
    expect(row?.status).toBe('sending');

    await system.startWorker('cs-heir');
    await system.waitForFullOwnership(['cs-heir'], LEASE_TTL_MS + 10_000);
    await system.waitForMessages([fatal.id], ['sent', 'delivered', 'read'], 30_000);
    const after = await system.send(tenant, account.id, 'alice', 'after the crash');
    await system.waitForMessages([after.id], ['sent', 'delivered', 'read']);

    await expectDeliveredExactlyOnce(system, [before, fatal, after]);
    await expectOneClientEach(system, tenant, [account.id]);
  });
});
