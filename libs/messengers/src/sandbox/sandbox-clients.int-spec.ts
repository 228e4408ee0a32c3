import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SandboxOutboxItem } from '@switchboard/contracts';
import { redisKeys, type RedisKeys } from '@switchboard/queue';
import { NotConnectedError } from '../messenger-session';
import { CONNECTION_LOST, OPENED_ELSEWHERE, SandboxClients, sandboxDevicesOf } from './sandbox-clients';
import { SandboxSession } from './sandbox-session';
import { deletePrefix, recordingSink, TEST_REDIS_URL, waitFor } from './sandbox-int-support';

/** Small, so a lapse is seen quickly; heartbeats come every third of it. */
const TTL_MS = 300;
/** For the tests that watch clients stay connected: some slack for a loaded machine. */
const STEADY_TTL_MS = 1_000;
const SESSION_TTL_MS = 10_000;

/** Watches a condition that must hold the whole time, until more than `ms` passed (past a TTL). */
async function holdsFor(ms: number, check: () => Promise<string | null>): Promise<void> {
  const until = Date.now() + ms;
  let broken: string | null = null;
  await waitFor(async () => {
    broken ??= await check();
    return broken !== null || Date.now() > until;
  }, `${ms} ms to pass`, ms + 10_000);
  expect(broken).toBeNull();
}

describe('the sandbox single-client rule against Redis', () => {
  const prefix = `sbt-sandbox_clients_${randomBytes(4).toString('hex')}`;
  const keys: RedisKeys = redisKeys(prefix);
  let redis: Redis;
  const connections: Redis[] = [];
  const workers: SandboxClients[] = [];
  const sessions: SandboxSession[] = [];
  const errors: unknown[] = [];

  /** The clients of one worker process, on its own connection. */
  function worker(ttlMs = TTL_MS): SandboxClients {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    const clients = new SandboxClients(connection, keys, ttlMs, (error) => errors.push(error));
    workers.push(clients);
    return clients;
  }
  const devices = (accountId: string) => sandboxDevicesOf(redis, keys, accountId);
  const device = (workerId: string, fence: string) => ({ workerId, fence, since: expect.any(String) });

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.stop({ logout: false });
    for (const clients of workers.splice(0)) clients.stop();
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  describe('SandboxClients', () => {
    it('a second client of an account disconnects the first (OPENED_ELSEWHERE on its next heartbeat) and counts one conflict', async () => {
      const accountId = randomUUID();
      const [a, b] = [worker(), worker()];
      const goneA: string[] = [];
      const goneB: string[] = [];
      await a.connect(accountId, { workerId: 'worker-a', fence: '1' }, (reason) => goneA.push(reason));
      expect(await devices(accountId)).toEqual({ items: [device('worker-a', '1')], conflicts: 0 });

      await b.connect(accountId, { workerId: 'worker-b', fence: '2' }, (reason) => goneB.push(reason));
      expect(await devices(accountId)).toEqual({ items: [device('worker-b', '2')], conflicts: 1 });
      await waitFor(() => goneA.length > 0, 'the first client to hear it was disconnected');
      expect(goneA).toEqual([OPENED_ELSEWHERE]);

      // It hears it once; the newer client stays and hears nothing.
      await holdsFor(2 * TTL_MS, async () => {
        if (goneA.length !== 1) return `the first client heard ${goneA.join(', ')}`;
        if (goneB.length > 0) return `the newer client heard ${goneB.join(', ')}`;
        const now = await devices(accountId);
        return now.items[0]?.workerId === 'worker-b' && now.conflicts === 1 ? null : `devices became ${JSON.stringify(now)}`;
      });
    });

    it('a client whose heartbeat stops lapses after the TTL, and connecting then counts no conflict', async () => {
      const accountId = randomUUID();
      const dead = worker();
      await dead.connect(accountId, { workerId: 'worker-a', fence: '1' }, () => undefined);
      expect((await devices(accountId)).items).toHaveLength(1);
      // The process died: no heartbeat, no disconnect.
      dead.stop();
      await waitFor(async () => (await devices(accountId)).items.length === 0, 'the dead client to lapse');

      await worker().connect(accountId, { workerId: 'worker-b', fence: '2' }, () => undefined);
      expect(await devices(accountId)).toEqual({ items: [device('worker-b', '2')], conflicts: 0 });
    });

    it('a client that lapsed while its worker was away hears CONNECTION_LOST on its next heartbeat', async () => {
      const accountId = randomUUID();
      const gone: string[] = [];
      await worker().connect(accountId, { workerId: 'worker-a', fence: '1' }, (reason) => gone.push(reason));
      // What a freeze longer than the TTL leaves: the network forgot the client.
      await redis.del(keys.sandbox.client(accountId));
      await waitFor(() => gone.length > 0, 'the client to hear it lapsed');
      expect(gone).toEqual([CONNECTION_LOST]);
      expect(await devices(accountId)).toEqual({ items: [], conflicts: 0 });
    });

    it('disconnect removes only its own registration, in Redis and in the heartbeat', async () => {
      const accountId = randomUUID();
      const [a, b] = [worker(STEADY_TTL_MS), worker(STEADY_TTL_MS)];
      const older = await a.connect(accountId, { workerId: 'worker-a', fence: '1' }, () => undefined);
      const newer = await b.connect(accountId, { workerId: 'worker-b', fence: '2' }, () => undefined);
      // The older client leaves late (after the newer one took over): the newer one stays.
      await a.disconnect(accountId, older);
      expect((await devices(accountId)).items).toEqual([device('worker-b', '2')]);

      // One worker replaced its own client; a late disconnect of the old one keeps the new one beating.
      const other = randomUUID();
      const gone: string[] = [];
      const first = await a.connect(other, { workerId: 'worker-a', fence: '1' }, (reason) => gone.push(`first: ${reason}`));
      await a.disconnect(other, first);
      const second = await a.connect(other, { workerId: 'worker-a', fence: '1' }, (reason) => gone.push(`second: ${reason}`));
      await a.disconnect(other, first);
      await holdsFor(2 * STEADY_TTL_MS, async () => {
        if (gone.length > 0) return gone.join(', ');
        return (await redis.get(keys.sandbox.client(other))) === second ? null : 'the second client was disconnected or lapsed';
      });
      expect(await devices(other)).toEqual({ items: [device('worker-a', '1')], conflicts: 0 });

      await b.disconnect(accountId, newer);
      await a.disconnect(other, second);
      expect(await devices(accountId)).toEqual({ items: [], conflicts: 1 });
      expect(await devices(other)).toEqual({ items: [], conflicts: 0 });
    });

    it('one worker’s heartbeat keeps many clients connected (more than one heartbeat batch)', async () => {
      const clients = worker(STEADY_TTL_MS);
      const accounts = Array.from({ length: 1_200 }, () => randomUUID());
      const gone: string[] = [];
      await Promise.all(accounts.map((id) => clients.connect(id, { workerId: 'worker-a', fence: '1' }, (reason) => gone.push(`${id}: ${reason}`))));
      const clientKeys = accounts.map((id) => keys.sandbox.client(id));

      await holdsFor(2 * STEADY_TTL_MS, async () => {
        if (gone.length > 0) return `${gone.length} clients heard they were gone, e.g. ${gone[0]}`;
        const missing = (await redis.mget(...clientKeys)).filter((value) => value === null).length;
        return missing === 0 ? null : `${missing} clients lapsed`;
      });
      // Still there after twice the TTL: every one of them was renewed.
      expect((await redis.mget(...clientKeys)).filter((value) => value === null)).toEqual([]);
    });
  });

  describe('SandboxSession', () => {
    interface Recorded {
      session: SandboxSession;
      events: string[];
      stopped: () => number;
      saved: () => Buffer;
    }

    function sandboxSession(accountId: string, clients: SandboxClients, owner = { workerId: 'worker-a', fence: '1' }): Recorded {
      const events: string[] = [];
      let stopped = 0;
      const sink = recordingSink(events);
      const session = new SandboxSession({
        accountId,
        owner,
        redis,
        keys,
        sink,
        timings: { qrTtlMs: 60_000, qrMaxRefreshes: 0, ackDelayMs: 60_000 },
        clients,
        onError: (error) => errors.push(error),
        onStopped: () => void (stopped += 1),
      });
      sessions.push(session);
      return {
        session,
        events,
        stopped: () => stopped,
        saved: sink.saved,
      };
    }

    /** A session logged in by a QR scan. */
    async function scanned(accountId: string, clients: SandboxClients, owner?: { workerId: string; fence: string }): Promise<Recorded> {
      const recorded = sandboxSession(accountId, clients, owner);
      await recorded.session.start({ method: 'qr', phone: null, storedSession: null, catchUpCursor: null });
      await recorded.session.receive([{ type: 'scan', accountId }]);
      return recorded;
    }

    const outbox = async (accountId: string) => (await redis.lrange(keys.sandbox.outbox(accountId), 0, -1)).map((raw) => JSON.parse(raw) as SandboxOutboxItem);
    const message = (clientMessageId: string) => ({ clientMessageId, to: 'alice', text: 'hello', media: null, replyTo: null });

    it('after a QR scan it is connected and registered as the account’s client', async () => {
      const accountId = randomUUID();
      const { session, events } = sandboxSession(accountId, worker(SESSION_TTL_MS), { workerId: 'worker-a', fence: '4' });
      await session.start({ method: 'qr', phone: null, storedSession: null, catchUpCursor: null });
      expect(events).toEqual(['status qr', 'qr']);
      expect(session.connected).toBe(false);
      expect((await devices(accountId)).items).toEqual([]);

      await session.receive([{ type: 'scan', accountId }]);
      expect(session.connected).toBe(true);
      expect(events).toEqual(['status qr', 'qr', 'sessionSaved', 'profile', 'status connected', 'chats', 'cursor 0-0']);
      expect(await devices(accountId)).toEqual({ items: [device('worker-a', '4')], conflicts: 0 });
    });

    it('records every send, also a repeat of the same client message id, and findSent answers the last', async () => {
      const accountId = randomUUID();
      const { session } = await scanned(accountId, worker(SESSION_TTL_MS));
      const first = await session.send(message('m-1'));
      // Two deliveries in two different milliseconds, so "the last" can be told apart.
      await waitFor(() => Date.now() > first.sentAt.getTime(), 'the clock to move');
      const second = await session.send(message('m-1'));

      const items = await outbox(accountId);
      expect(items).toHaveLength(2);
      expect(items.map((item) => item.externalId)).toEqual(['sbx-out-m-1', 'sbx-out-m-1']);
      expect(items.map((item) => item.at)).toEqual([first.sentAt.toISOString(), second.sentAt.toISOString()]);
      expect(items[0]?.sentBy).toEqual({ workerId: 'worker-a', fence: '1' });
      expect(await session.findSent({ clientMessageId: 'm-1', to: 'alice' })).toEqual(second);
      expect(await session.findSent({ clientMessageId: 'never-sent', to: 'alice' })).toBeNull();
    });

    it('a client disconnected by a newer client cannot send: NotConnectedError, nothing recorded', async () => {
      const accountId = randomUUID();
      const older = await scanned(accountId, worker(SESSION_TTL_MS), { workerId: 'worker-a', fence: '1' });
      const newer = sandboxSession(accountId, worker(SESSION_TTL_MS), { workerId: 'worker-b', fence: '2' });
      await newer.session.start({ method: 'qr', phone: null, storedSession: older.saved(), catchUpCursor: null });
      expect(newer.session.connected).toBe(true);
      expect(await devices(accountId)).toEqual({ items: [device('worker-b', '2')], conflicts: 1 });

      // The older client has not heard yet (its heartbeat is seconds away): the network refuses it anyway.
      expect(older.session.connected).toBe(true);
      const refused = older.session.send(message('m-1'));
      await expect(refused).rejects.toBeInstanceOf(NotConnectedError);
      await expect(refused).rejects.toThrow('the sandbox client was disconnected by the network');
      expect(await outbox(accountId)).toEqual([]);
      expect(await older.session.findSent({ clientMessageId: 'm-1', to: 'alice' })).toBeNull();

      await newer.session.send(message('m-2'));
      expect((await outbox(accountId)).map((item) => item.sentBy)).toEqual([{ workerId: 'worker-b', fence: '2' }]);
    });

    it('stop() during the restore’s device read: nothing is registered or reported', async () => {
      const accountId = randomUUID();
      const stored = (await scanned(accountId, worker(SESSION_TTL_MS))).saved();
      await sessions.splice(0)[0]?.stop({ logout: false });
      expect((await devices(accountId)).items).toEqual([]);

      const restoring = sandboxSession(accountId, worker(SESSION_TTL_MS), { workerId: 'worker-b', fence: '2' });
      const started = restoring.session.start({ method: 'qr', phone: null, storedSession: stored, catchUpCursor: null });
      await restoring.session.stop({ logout: false });
      await started;
      expect(restoring.events).toEqual([]);
      expect(restoring.session.connected).toBe(false);
      expect(restoring.stopped()).toBe(1);
      expect(await devices(accountId)).toEqual({ items: [], conflicts: 0 });

      // Also when the phone ended the device meanwhile: a stopped client deletes no stored session.
      await redis.set(keys.sandbox.device(accountId), 'another-device');
      const late = sandboxSession(accountId, worker(SESSION_TTL_MS), { workerId: 'worker-b', fence: '3' });
      const lateStart = late.session.start({ method: 'qr', phone: null, storedSession: stored, catchUpCursor: null });
      await late.session.stop({ logout: false });
      await lateStart;
      expect(late.events).toEqual([]);
    });

    it('stop() while the restore connects to the network: it leaves again, nothing is reported', async () => {
      const accountId = randomUUID();
      const stored = (await scanned(accountId, worker(SESSION_TTL_MS))).saved();
      await sessions.splice(0)[0]?.stop({ logout: false });

      // The stop lands after the network registered the client, before the session heard back.
      const clients = worker(SESSION_TTL_MS);
      let restoring: Recorded | null = null;
      let registeredWhenStopped = false;
      const hooked = Object.create(clients) as SandboxClients;
      hooked.connect = async (...args) => {
        const value = await clients.connect(...args);
        registeredWhenStopped = (await devices(accountId)).items.length === 1;
        await restoring?.session.stop({ logout: false });
        return value;
      };
      restoring = sandboxSession(accountId, hooked, { workerId: 'worker-b', fence: '2' });
      await restoring.session.start({ method: 'qr', phone: null, storedSession: stored, catchUpCursor: null });

      expect(registeredWhenStopped).toBe(true);
      expect(restoring.events).toEqual([]);
      expect(restoring.session.connected).toBe(false);
      expect(restoring.stopped()).toBe(1);
      expect(await devices(accountId)).toEqual({ items: [], conflicts: 0 });
      await expect(restoring.session.send(message('m-1'))).rejects.toBeInstanceOf(NotConnectedError);
    });

    it('a logout from the phone: the messages before it are stored, then sessionDeleted and logged_out, and the client leaves', async () => {
      const accountId = randomUUID();
      const recorded = await scanned(accountId, worker(SESSION_TTL_MS));
      recorded.events.splice(0);
      const at = new Date().toISOString();
      await recorded.session.receive([
        { type: 'message', accountId, externalId: 'in-1', from: 'bob', fromName: null, text: 'before', at },
        { type: 'logout', accountId },
        { type: 'message', accountId, externalId: 'in-2', from: 'bob', fromName: null, text: 'after', at },
      ]);
      expect(recorded.events).toEqual([
        'messages in-1',
        'sessionDeleted',
        'status logged_out: The session was ended from the phone; connect again to log in.',
      ]);
      expect(recorded.session.connected).toBe(false);
      expect(recorded.stopped()).toBe(1);
      expect(await devices(accountId)).toEqual({ items: [], conflicts: 0 });
      await expect(recorded.session.send(message('m-1'))).rejects.toBeInstanceOf(NotConnectedError);
    });
  });
});
