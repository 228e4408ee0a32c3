import { partitionOf } from '@switchboard/queue';
import { SwitchboardSystem, type Tenant } from '@switchboard/testing';

describe('two workers share the partitions', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-ownership', { PARTITIONS: '64' });
    await system.startApi();
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('owns every account by exactly one worker at every moment, and splits partitions roughly evenly', async () => {
    const violations: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const owned = await system.ownership();
        const seen = new Map<number, string>();
        for (const [worker, partitions] of owned) {
          for (const p of partitions) {
            const other = seen.get(p);
            if (other) violations.push(`partition ${p} run by ${other} and ${worker}`);
            seen.set(p, worker);
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    let counts: number[] = [];
    try {
      await system.startWorker('own-w1');
      await system.startWorker('own-w2');
      // A QR login lives on one worker: connect once the partitions have settled.
      await system.waitForFullOwnership(['own-w1', 'own-w2']);
      const accounts = await Promise.all(Array.from({ length: 20 }, (_, i) => system.createSandboxAccount(tenant, `acc-${i}`)));
      await Promise.all(accounts.map((a) => system.connectByQr(tenant, a.id)));
      const owned = await system.waitForFullOwnership(['own-w1', 'own-w2']);

      // Each account is run by the worker that owns its partition: prove it by who delivers its send.
      const messages = await Promise.all(accounts.map((a) => system.send(tenant, a.id, 'alice', `hello ${a.id}`)));
      await system.waitForMessages(messages.map((m) => m.id), ['sent', 'delivered', 'read']);
      for (const account of accounts) {
        const partition = partitionOf(account.id, 64);
        const owners = [...owned].filter(([, ps]) => ps.includes(partition)).map(([w]) => w);
        expect(owners).toHaveLength(1);
        const [delivery] = await system.outbox(account.id);
        expect(delivery?.sentBy?.workerId).toBe(owners[0]);
      }

      counts = [...owned.values()].map((ps) => ps.length);
    } finally {
      sampling = false;
      await sampler;
    }
    expect(violations).toEqual([]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(64);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(20);
  });
});
