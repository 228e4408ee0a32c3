import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { partitionOf, partitionQueueName, redisKeys } from '@switchboard/queue';
import { SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';

const WAIT_LIMIT_MS = 6000;

describe('a send for an account that is not connected', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;
  let connection: Redis;
  const queueOf = (accountId: string) =>
    new Queue(partitionQueueName(partitionOf(accountId, system.partitions)), { connection, prefix: redisKeys(system.env.redisPrefix).bullPrefix });

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-offline-send', { SEND_WAIT_FOR_CONNECTION_MS: String(WAIT_LIMIT_MS) });
    await system.startApi();
    await system.startWorkers('os-w1');
    tenant = await system.createTenant();
    connection = new Redis(system.env.redisUrl, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    connection?.disconnect();
    await system?.stop();
  });

  /** Connect asked, the QR shown, nobody scanned yet: the account wants to run but is offline. */
  const offlineAccount = async (name: string) => {
    const account = await system.createSandboxAccount(tenant, name);
    const mark = system.events.events.length;
    expect((await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, {})).status).toBe(202);
    await system.waitForStatus(account.id, 'qr', mark);
    return account;
  };

  /** Waits until the job is parked; answers until when (BullMQ scores delayed jobs by time × 4096). */
  const parked = async (queue: Queue, jobId: string): Promise<number> => {
    await waitFor(async () => (await queue.getJob(jobId))?.isDelayed() ?? false, { description: `job ${jobId} to be parked` });
    const key = `${redisKeys(system.env.redisPrefix).bullPrefix}:${queue.name}:delayed`;
    return Math.floor(Number(await connection.zscore(key, jobId)) / 4096);
  };

  it('waits without polling and is sent as soon as the account connects', async () => {
    const account = await offlineAccount('late');
    const queue = queueOf(account.id);
    try {
      const message = await system.send(tenant, account.id, 'alice', 'waiting for you');
      // Parked until its deadline, not until a re-check: nothing polls the account.
      expect(await parked(queue, message.id)).toBeGreaterThanOrEqual(new Date(message.createdAt).getTime() + WAIT_LIMIT_MS - 1_000);
      expect((await system.http('POST', `/v1/sandbox/accounts/${account.id}/scan`, tenant.apiKey)).status).toBe(202);
      await system.waitForMessages([message.id], ['sent', 'delivered', 'read'], WAIT_LIMIT_MS);
      const job = await queue.getJob(message.id);
      // Run once (parked), once more when the account connected: no attempt failed, no polling.
      expect(job?.stacktrace ?? []).toEqual([]);
      expect(job?.failedReason).toBeUndefined();
      expect(job?.attemptsStarted).toBeLessThanOrEqual(2);
      expect((await system.outbox(account.id)).map((i) => i.text)).toEqual(['waiting for you']);
    } finally {
      await queue.close();
    }
  });

  it('fails with a reason once the limit passes', async () => {
    const account = await offlineAccount('never');
    const queue = queueOf(account.id);
    try {
      const message = await system.send(tenant, account.id, 'alice', 'nobody home');
      await parked(queue, message.id);
      await system.waitForMessages([message.id], ['failed'], WAIT_LIMIT_MS + 10_000);
      const { body } = await system.http<{ status: string; error: string }>('GET', `/v1/messages/${message.id}`, tenant.apiKey);
      expect(body).toMatchObject({ status: 'failed', error: 'The account did not connect within 6 s; the message was not sent.' });
      const job = await queue.getJob(message.id);
      expect(job?.attemptsStarted).toBeLessThanOrEqual(2);
      expect(await system.outbox(account.id)).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
