import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '@switchboard/config';
import { openDatabase, type AccountRow, type Database } from '@switchboard/db';
import { EventPublisher, QrStore } from '@switchboard/events';
import { redisKeys } from '@switchboard/queue';
import { createTestEnvironment, type TestEnvironment } from '@switchboard/testing';
import { AccountEventsService } from './account-events.service';
import { accountRefOf, type LiveAccount } from './live-account';

/**
 * A stale owner (lease token 5) writes after a new owner (token 6) claimed the partition: every
 * write of account state is refused, in PostgreSQL and in Redis; the new owner's are applied.
 */
describe('fenced writes: a stale owner is refused everywhere, the new owner is not', () => {
  let env: TestEnvironment;
  let db: Database;
  let redis: Redis;
  let events: AccountEventsService;
  let account: AccountRow;
  const keys = () => redisKeys(env.redisPrefix);
  const owner = (token: string): LiveAccount => ({
    ref: accountRefOf(account),
    token,
    redisFence: { key: keys().lease(account.partition), holder: `worker-${token}|${token}` },
    fenced: false,
  });
  const streamLength = () => redis.xlen(keys().events);

  beforeAll(async () => {
    env = await createTestEnvironment('fenced-writes');
    db = await openDatabase({ databaseUrl: env.databaseUrl, migrate: true, sessionKey: env.sessionKey });
    redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    const publisher = new EventPublisher({ redis, streamKey: keys().events, maxLength: 10_000 });
    events = new AccountEventsService(db, publisher, new QrStore(redis, keys().qr), createLogger('test', 'silent'));
    const tenant = await db.tenants.create('acme');
    account = await db.accounts.create({ tenantId: tenant.id, provider: 'sandbox', name: 'fenced', partition: 3 });
    // The old owner ran it and saved its session; then the partition moved to token 6.
    expect(await db.sessions.save(account.id, Buffer.from('old owner session'), '5')).toBe(true);
    await redis.set(keys().lease(3), 'worker-6|6');
    expect(await db.accounts.claimPartition(3, '6')).toBe(1);
  });

  afterAll(async () => {
    await db?.close();
    redis?.disconnect();
    await env?.cleanup();
  });

  it('refuses the stale owner’s status, profile, session save and session delete', async () => {
    const stale = owner('5');
    const eventsBefore = await streamLength();
    expect(await events.status(stale, 'logged_out', 'late')).toBe(false);
    await events.profile(stale, { id: 'x', name: 'late', phone: null, username: null });
    await events.sessionSaved(stale, Buffer.from('late session'));
    await events.sessionDeleted(stale);
    const row = await db.accounts.findById(account.id);
    expect(row).toMatchObject({ status: 'disconnected', profile: null });
    expect((await db.sessions.load(account.id))?.toString()).toBe('old owner session');
    expect(await streamLength()).toBe(eventsBefore);
  });

  it('refuses the stale owner’s QR, pairing code and login step in Redis', async () => {
    const stale = owner('5');
    const eventsBefore = await streamLength();
    await events.qr(stale, 'late-qr', new Date(Date.now() + 60_000));
    await events.pairingCode(stale, 'LATE', new Date(Date.now() + 60_000));
    await events.loginRequired(stale, 'code');
    expect(await redis.get(keys().qr(account.id))).toBeNull();
    expect(await streamLength()).toBe(eventsBefore);
  });

  it('refuses the stale owner’s messages, chats, sends and receipts', async () => {
    const chat = (await db.chats.recordActivity([{ accountId: account.id, externalId: 'alice', title: 'Alice', kind: 'private', at: new Date(), unreadDelta: 0, fence: '6' }]))[0];
    expect(chat).toBeDefined();
    const outgoing = (await db.messages.createOutgoing({ id: randomUUID(), accountId: account.id, chatId: chat!.id, text: 'hi', media: null, idempotencyKey: null })).row;

    expect(await db.chats.recordActivity([{ accountId: account.id, externalId: 'bob', title: null, kind: 'private', at: new Date(), unreadDelta: 1, fence: '5' }])).toEqual([]);
    expect(await db.chats.addUnread([{ chatId: chat!.id, count: 3, at: new Date(), fence: '5' }])).toEqual([]);
    expect(
      await db.messages.insertIncoming([{ id: randomUUID(), accountId: account.id, chatId: chat!.id, externalId: 'in-1', text: 'late', media: null, sentAt: new Date(), fence: '5' }]),
    ).toEqual([]);
    expect(await db.messages.markManySending([{ id: outgoing.id, fence: '5' }])).toEqual([]);
    expect((await db.messages.markManySent([{ id: outgoing.id, externalId: 'out-1', sentAt: new Date(), fence: '5' }])).messages).toEqual([]);
    expect(await db.messages.markFailed(outgoing.id, 'late', '5')).toBeNull();
    expect((await db.messages.findById(outgoing.id))?.status).toBe('queued');

    // The new owner's writes go through.
    expect(await db.messages.markManySending([{ id: outgoing.id, fence: '6' }])).toHaveLength(1);
    expect((await db.messages.markManySent([{ id: outgoing.id, externalId: 'out-1', sentAt: new Date(), fence: '6' }])).messages).toHaveLength(1);
    expect(await db.messages.advanceStatuses([{ accountId: account.id, chatExternalId: 'alice', externalId: 'out-1', fence: '5' }], 'delivered')).toEqual([]);
    expect(await db.messages.advanceStatuses([{ accountId: account.id, chatExternalId: 'alice', externalId: 'out-1', fence: '6' }], 'delivered')).toHaveLength(1);
    expect(await db.messages.insertIncoming([{ id: randomUUID(), accountId: account.id, chatId: chat!.id, externalId: 'in-1', text: 'on time', media: null, sentAt: new Date(), fence: '6' }])).toHaveLength(1);
  });

  it('applies the new owner’s account writes, in PostgreSQL and Redis', async () => {
    const current = owner('6');
    expect(await events.status(current, 'qr', null)).toBe(true);
    await events.qr(current, 'fresh-qr', new Date(Date.now() + 60_000));
    expect(JSON.parse((await redis.get(keys().qr(account.id))) as string)).toMatchObject({ qr: 'fresh-qr' });
    await events.sessionDeleted(current);
    expect(await db.sessions.load(account.id)).toBeNull();
  });

  it('stores a provider id once per chat, not once per account (Telegram numbers each channel on its own)', async () => {
    const [a, b] = await db.chats.recordActivity([
      { accountId: account.id, externalId: 'channel-1', title: null, kind: 'channel', at: new Date(), unreadDelta: 0, fence: '6' },
      { accountId: account.id, externalId: 'channel-2', title: null, kind: 'channel', at: new Date(), unreadDelta: 0, fence: '6' },
    ]);
    const message = (chatId: string) => ({ id: randomUUID(), accountId: account.id, chatId, externalId: '42', text: 'same id', media: null, sentAt: new Date(), fence: '6' });
    expect(await db.messages.insertIncoming([message(a!.id), message(b!.id)])).toHaveLength(2);
    expect(await db.messages.insertIncoming([message(a!.id)])).toEqual([]);
  });
});
