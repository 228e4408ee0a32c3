import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { partitionOf, partitionQueueName, redisKeys } from '@switchboard/queue';
import { SwitchboardSystem, type Tenant } from '@switchboard/testing';

describe('outbound pacing and error classification', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-pacing', { SEND_RATE_PER_SECOND: '5', SEND_BURST: '5', SEND_BACKOFF_MS: '200' });
    await system.startApi();
    await system.startWorkers('pa-w1');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('paces one account at 5 sends/s (20 sends take at least 3 s) without holding up another', async () => {
    const [slow, other] = await Promise.all([system.createSandboxAccount(tenant, 'slow'), system.createSandboxAccount(tenant, 'other')]);
    await system.connectByQr(tenant, slow!.id);
    await system.connectByQr(tenant, other!.id);

    const postedAt = Date.now();
    const slowMessages = await Promise.all(Array.from({ length: 20 }, (_, i) => system.send(tenant, slow!.id, 'alice', `paced-${i}`)));
    const otherMessages = await Promise.all(Array.from({ length: 3 }, (_, i) => system.send(tenant, other!.id, 'bob', `free-${i}`)));
    await system.waitForMessages([...slowMessages, ...otherMessages].map((m) => m.id), ['sent', 'delivered', 'read']);

    const sentAt = async (ids: string[]) =>
      (await system.sql<{ sent_at: Date }>('select sent_at from message where id = any($1) order by sent_at', [ids])).map((r) => r.sent_at.getTime());
    const slowTimes = await sentAt(slowMessages.map((m) => m.id));
    const otherTimes = await sentAt(otherMessages.map((m) => m.id));
    expect(slowTimes[19]! - postedAt).toBeGreaterThanOrEqual(3000);
    // The other account's sends left before the paced account was even halfway through.
    expect(Math.max(...otherTimes)).toBeLessThan(slowTimes[9]!);
  });

  it('retries fail-once and sends it; fails fail-permanent at once with its reason, without retrying', async () => {
    const account = await system.createSandboxAccount(tenant, 'errors');
    await system.connectByQr(tenant, account.id);
    const once = await system.send(tenant, account.id, 'fail-once', 'try twice');
    const permanent = await system.send(tenant, account.id, 'fail-permanent', 'never');
    await system.waitForMessages([once.id], ['sent', 'delivered', 'read']);
    await system.waitForMessages([permanent.id], ['failed']);

    const failed = await system.http<{ status: string; error: string }>('GET', `/v1/messages/${permanent.id}`, tenant.apiKey);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error).toMatch(/fail-permanent/);

    const connection = new Redis(system.env.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(partitionQueueName(partitionOf(account.id, system.partitions)), {
      connection,
      prefix: redisKeys(system.env.redisPrefix).bullPrefix,
    });
    try {
      const onceJob = await queue.getJob(once.id);
      const permanentJob = await queue.getJob(permanent.id);
      expect(onceJob?.attemptsMade).toBe(2);
      expect(await permanentJob?.getState()).toBe('failed');
      expect(permanentJob?.attemptsMade).toBe(1);
      expect(permanentJob?.failedReason).toMatch(/fail-permanent/);
    } finally {
      await queue.close();
      connection.disconnect();
    }
    expect((await system.outbox(account.id)).map((i) => i.to)).toEqual(['fail-once']);
  });
});
