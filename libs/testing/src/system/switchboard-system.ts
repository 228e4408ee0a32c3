import { Redis } from 'ioredis';
import { Pool } from 'pg';
import type { Account, Message } from '@switchboard/contracts';
import { partitionOf, partitionsOwnedBy, redisKeys, type RedisKeys } from '@switchboard/queue';
import { createTestEnvironment, type TestEnvironment } from '../test-environment';
import { waitFor } from '../wait-for';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { StreamWatcher } from './stream-watcher';

export interface Tenant {
  id: string;
  apiKey: string;
}

const LOGS_INFO = ['info', 'debug', 'trace'];

/** Settings that make the system quick to observe in tests. */
const FAST_SETTINGS: Record<string, string> = {
  PARTITIONS: '16',
  LEASE_TTL_MS: '2000',
  SANDBOX_QR_TTL_MS: '30000',
  SANDBOX_ACK_DELAY_MS: '30',
  SEND_RATE_PER_SECOND: '200',
  SEND_BURST: '50',
  SEND_BACKOFF_MS: '100',
  // Processes log to files under .nx/test-logs; tests also read some lines (hand-off, fencing).
  LOG_LEVEL: 'info',
};

/**
 * A whole Switchboard for one test file: real api and worker processes from dist/, against the
 * real PostgreSQL and Redis, isolated by a database and a Redis key prefix of its own.
 */
export class SwitchboardSystem {
  readonly apis: { url: string; process: ManagedProcess }[] = [];
  readonly workers = new Map<string, ManagedProcess>();
  readonly keys: RedisKeys;
  readonly redis: Redis;
  readonly events: StreamWatcher;
  readonly pg: Pool;
  /** Extra node flags for every api and worker started from now on (the benchmark's --cpu-prof). */
  nodeArgs: string[] = [];

  private constructor(
    readonly env: TestEnvironment,
    readonly settings: Record<string, string>,
  ) {
    this.keys = redisKeys(env.redisPrefix);
    this.redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 3 });
    this.events = new StreamWatcher(env.redisUrl, this.keys.events);
    this.pg = new Pool({ connectionString: env.databaseUrl, max: 2 });
  }

  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(text, params)).rows as T[];
  }

  static async create(name: string, settings: Record<string, string> = {}): Promise<SwitchboardSystem> {
    const env = await createTestEnvironment(name);
    return new SwitchboardSystem(env, { ...env.env, ...FAST_SETTINGS, ...settings });
  }

  get apiUrl(): string {
    const first = this.apis[0];
    if (!first) throw new Error('no api started');
    return first.url;
  }

  get partitions(): number {
    return Number(this.settings.PARTITIONS);
  }

  async startApi(): Promise<string> {
    const port = await freePort();
    const proc = new ManagedProcess(`api-${port}`, 'dist/apps/api/main.js', { ...this.settings, PORT: String(port), HOST: '127.0.0.1' }, this.nodeArgs);
    const url = `http://127.0.0.1:${port}`;
    this.apis.push({ url, process: proc });
    await waitFor(
      async () => {
        if (!proc.running) throw new Error(`api exited: ${proc.tail()}`);
        return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 30_000, description: `api on ${url} to be ready` },
    );
    return url;
  }

  async startWorker(workerId: string, settings: Record<string, string> = {}): Promise<ManagedProcess> {
    const env: Record<string, string> = { ...this.settings, ...settings, WORKER_ID: workerId };
    const spawnedAt = Date.now();
    const proc = new ManagedProcess(workerId, 'dist/apps/worker/main.js', env, this.nodeArgs);
    this.workers.set(workerId, proc);
    // "worker started" is an info line: a quieter worker (the benchmark) is ready at its first heartbeat.
    if (LOGS_INFO.includes(env.LOG_LEVEL ?? 'info')) await proc.waitForOutput(/worker started/, 30_000);
    else await this.waitForHeartbeat(workerId, proc, spawnedAt);
    return proc;
  }

  private async waitForHeartbeat(workerId: string, proc: ManagedProcess, since: number): Promise<void> {
    await waitFor(
      async () => {
        if (!proc.running) throw new Error(`worker exited: ${proc.tail()}`);
        const beat = await this.redis.zscore(this.keys.workers, workerId);
        return beat !== null && Number(beat) >= since;
      },
      { timeoutMs: 30_000, recheckMs: 50, description: `${workerId} to heartbeat` },
    );
  }

  /** Starts workers and waits until they share every partition (logins started earlier would move). */
  async startWorkers(...workerIds: string[]): Promise<void> {
    for (const id of workerIds) await this.startWorker(id);
    await this.waitForFullOwnership(workerIds);
  }

  worker(workerId: string): ManagedProcess {
    const proc = this.workers.get(workerId);
    if (!proc) throw new Error(`no worker ${workerId}`);
    return proc;
  }

  /** Which partitions each live worker process says it runs right now (its own view, kept in Redis). */
  async ownership(): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>();
    for (const [workerId, proc] of this.workers) {
      // A killed worker cannot clear its own set; its leases expire and another worker takes over.
      if (!proc.running) continue;
      const members = await this.redis.smembers(this.keys.workerPartitions(workerId));
      result.set(workerId, members.map(Number).sort((a, b) => a - b));
    }
    return result;
  }

  /**
   * Waits until the given workers run exactly the rendezvous assignment over them (every
   * partition by its one owner, no other worker running any): the hand-offs are complete.
   */
  async waitForFullOwnership(workerIds: string[], timeoutMs = 20_000): Promise<Map<string, number[]>> {
    const expected = new Map(workerIds.map((id) => [id, partitionsOwnedBy(id, workerIds, this.partitions).join(',')]));
    return waitFor(
      async () => {
        const owned = await this.ownership();
        for (const [id, ps] of owned) if ((expected.get(id) ?? '') !== ps.join(',')) return false;
        return owned;
      },
      { timeoutMs, recheckMs: 100, description: `partitions to be owned by exactly ${workerIds.join(', ')}` },
    );
  }

  /** Waits until `workerId` holds every partition's lease (the truth of ownership in Redis). */
  async waitForAllLeases(workerId: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        const holders = await this.redis.mget(...Array.from({ length: this.partitions }, (_, p) => this.keys.lease(p)));
        return holders.every((h) => h?.startsWith(`${workerId}|`));
      },
      { timeoutMs, recheckMs: 100, description: `${workerId} to hold every lease` },
    );
  }

  async http<T = unknown>(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async createTenant(name = 'acme'): Promise<Tenant> {
    const { status, body } = await this.http<{ id: string; apiKey: string }>('POST', '/v1/tenants', this.env.adminKey, { name });
    if (status !== 201) throw new Error(`tenant not created: ${status} ${JSON.stringify(body)}`);
    return { id: body.id, apiKey: body.apiKey };
  }

  async createSandboxAccount(tenant: Tenant, name = 'sandbox'): Promise<Account> {
    const { status, body } = await this.http<Account>('POST', '/v1/accounts', tenant.apiKey, { provider: 'sandbox', name });
    if (status !== 201) throw new Error(`account not created: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Connect → wait for the QR → simulated scan → wait for `connected`. */
  async connectByQr(tenant: Tenant, accountId: string): Promise<void> {
    const mark = this.events.events.length;
    const connect = await this.http('POST', `/v1/accounts/${accountId}/connect`, tenant.apiKey, {});
    if (connect.status !== 202) throw new Error(`connect refused: ${connect.status} ${JSON.stringify(connect.body)}`);
    await this.events.until((events) => events.slice(mark).some((e) => e.accountId === accountId && e.kind === 'account.qr'), `a QR for ${accountId}`);
    const scan = await this.http('POST', `/v1/sandbox/accounts/${accountId}/scan`, tenant.apiKey);
    if (scan.status !== 202) throw new Error(`scan refused: ${scan.status} ${JSON.stringify(scan.body)}`);
    await this.waitForStatus(accountId, 'connected', mark);
  }

  /** Waits for an `account.status` event with this status published after `afterIndex` events. */
  waitForStatus(accountId: string, status: string, afterIndex = 0, timeoutMs = 20_000): Promise<void> {
    return this.events
      .until(
      (events) => events.slice(afterIndex).some((e) => e.accountId === accountId && e.kind === 'account.status' && (e.data as { status: string }).status === status),
      `${accountId} to be ${status}`,
      timeoutMs,
    )
      .catch((error: Error) => {
        const seen = this.events.of(accountId).map((e) => (e.kind === 'account.status' ? `status:${(e.data as { status: string }).status}` : e.kind));
        throw new Error(`${error.message}; its events: ${seen.join(', ')}`);
      });
  }

  async send(tenant: Tenant, accountId: string, to: string, text: string): Promise<Message> {
    const { status, body } = await this.http<Message>('POST', `/v1/accounts/${accountId}/messages`, tenant.apiKey, { to, text });
    if (status !== 202) throw new Error(`send refused: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Waits until every message has a `message.status` event with one of `statuses`. */
  waitForMessages(ids: string[], statuses: string[], timeoutMs = 30_000): Promise<void> {
    const wanted = new Set(ids);
    return this.events.until(
      (events) => {
        const seen = new Set(
          events
            .filter((e) => e.kind === 'message.status' && statuses.includes((e.data as { status: string }).status))
            .map((e) => (e.data as { messageId: string }).messageId),
        );
        return [...wanted].every((id) => seen.has(id));
      },
      `${ids.length} messages to reach ${statuses.join('/')}`,
      timeoutMs,
    );
  }

  /** `<workerId>|<token>` of the lease on the account's partition, or null when nobody holds it. */
  leaseHolder(accountId: string): Promise<string | null> {
    return this.redis.get(this.keys.lease(partitionOf(accountId, this.partitions)));
  }

  /**
   * Waits until PostgreSQL has every message at one of `statuses`. For tests that kill workers:
   * a worker killed between its database write and its event leaves the row right and the event
   * unpublished, so the database is the thing to wait on there.
   */
  async waitForStoredMessages(ids: string[], statuses: string[], timeoutMs = 30_000): Promise<void> {
    await waitFor(
      async () => (await this.sql<{ n: number }>('select count(*)::int as n from message where id = any($1) and status = any($2)', [ids, statuses]))[0]?.n === ids.length,
      { timeoutMs, description: `${ids.length} messages to be ${statuses.join('/')} in PostgreSQL` },
    );
  }

  async outbox(accountId: string): Promise<{ externalId: string; to: string; text: string | null; at: string; sentBy?: { workerId: string; fence: string } }[]> {
    const raw = await this.redis.lrange(this.keys.sandbox.outbox(accountId), 0, -1);
    return raw.map((r) => JSON.parse(r));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.workers.values()].map((w) => w.stop()));
    await Promise.allSettled(this.apis.map((a) => a.process.stop()));
    await this.events.close();
    await this.pg.end();
    this.redis.disconnect();
    await this.env.cleanup();
  }
}
