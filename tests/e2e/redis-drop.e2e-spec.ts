import { SwitchboardSystem, type Tenant } from '@switchboard/testing';
import { expectDeliveredExactlyOnce, expectOneClientEach, sendMany } from '@switchboard/testing';

describe('Redis connections dropped (CLIENT KILL) under traffic', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-redis-drop', { SEND_RATE_PER_SECOND: '40', SEND_BURST: '4' });
    await system.startApi();
    await system.startWorkers('rd-w1', 'rd-w2');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('recovers every worker connection and loses nothing', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => system.createSandboxAccount(tenant, `rd-${i}`)));
    await Promise.all(accounts.map((a) => system.connectByQr(tenant, a.id)));
    const first = await sendMany(system, tenant, accounts.map((a) => a.id), 60, 'before-kill');

    // Kill every connection of this system's workers (named "<prefix>:worker:…", BullMQ's included).
    const clients = (await system.redis.client('LIST')) as string;
    const ours = clients.split('\n').filter((line) => line.includes(` name=${system.env.redisPrefix}:worker:`));
    expect(ours.length).toBeGreaterThan(4);
    for (const line of ours) {
      const id = /\bid=(\d+)/.exec(line)?.[1];
      if (id) await system.redis.client('KILL', 'ID', id);
    }

    const second = await sendMany(system, tenant, accounts.map((a) => a.id), 30, 'after-kill');
    const incoming = await system.http('POST', `/v1/sandbox/accounts/${accounts[0]?.id}/incoming`, tenant.apiKey, { from: 'carol', text: 'still there?' });
    expect(incoming.status).toBe(202);

    const all = [...first, ...second];
    await system.waitForMessages(all.map((m) => m.id), ['sent', 'delivered', 'read'], 60_000);
    await system.events.until((events) => events.some((e) => e.kind === 'message.received' && (e.data as { text: string }).text === 'still there?'), 'the incoming message after the kill');
    await expectDeliveredExactlyOnce(system, all);
    await expectOneClientEach(system, tenant, accounts.map((a) => a.id));
  });
});
