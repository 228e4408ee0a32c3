import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { openDatabase, type Database } from '@switchboard/db';
import type { IncomingMessage } from '@switchboard/messengers';
import { createTestEnvironment, type TestEnvironment } from '@switchboard/testing';
import { IncomingWriteGuard, type GuardedDelivery } from './incoming-write-guard';

/**
 * The guard against the real PostgreSQL: a batch holding one message that PostgreSQL refuses
 * (here written raw, as if it had slipped past the sanitizer) stores every other message and
 * quarantines that one, instead of failing the whole batch forever.
 */
describe('IncomingWriteGuard', () => {
  let env: TestEnvironment;
  let db: Database;
  let accountId: string;
  let chatId: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    env = await createTestEnvironment('int-incoming-guard');
    db = await openDatabase({ databaseUrl: env.databaseUrl, migrate: true, sessionKey: env.sessionKey, poolMax: 2 });
    const tenant = await db.tenants.create('acme');
    accountId = (await db.accounts.create({ tenantId: tenant.id, provider: 'sandbox', name: 'phone', partition: 0 })).id;
    const [chat] = await db.chats.recordActivity([{ accountId, externalId: 'alice', title: 'Alice', kind: 'private', phone: null, at: new Date(), unreadDelta: 0 }]);
    chatId = chat?.id as string;
  });

  afterAll(async () => {
    await db?.close();
    await env?.cleanup();
  });

  const delivery = (externalId: string, text: string): GuardedDelivery => ({
    live: { ref: { id: accountId } },
    messages: [
      {
        externalId,
        chat: { externalId: 'alice', title: 'Alice', kind: 'private' },
        origin: 'contact',
        sender: null,
        type: 'text',
        text,
        media: null,
        replyTo: null,
        forwarded: false,
        sentAt: new Date(),
      } satisfies IncomingMessage,
    ],
  });

  /** A raw write, without the sanitizer: NUL reaches PostgreSQL and is refused (22021). */
  const rawWrite = async (batch: GuardedDelivery[]) => {
    await db.messages.insertIncoming(
      batch.flatMap((d) =>
        d.messages.map((m) => ({ id: randomUUID(), accountId: d.live.ref.id, chatId, externalId: m.externalId, text: m.text, media: null, sentAt: m.sentAt, fence: null })),
      ),
    );
  };

  it('stores the good messages of a refused batch one by one and quarantines the bad one with its reason', async () => {
    const counts = { stored: 0, quarantined: 0 };
    const guard = new IncomingWriteGuard({
      quarantine: db.quarantine,
      logger,
      metrics: { incomingStored: (n) => (counts.stored += n), incomingQuarantined: (n) => (counts.quarantined += n) },
    });
    await guard.write([delivery('ok-1', 'fine'), delivery('bad-1', 'no\u0000good'), delivery('ok-2', 'also fine')], rawWrite);

    const stored = await db.knex('message').where({ account_id: accountId }).orderBy('external_id').pluck('external_id');
    expect(stored).toEqual(['ok-1', 'ok-2']);
    const [quarantined, ...more] = await db.quarantine.list(10);
    expect(more).toEqual([]);
    expect(quarantined).toMatchObject({ accountId, externalId: 'bad-1' });
    expect(quarantined?.reason).toMatch(/^22021 .*0x00/);
    expect(JSON.parse(quarantined?.payload ?? '{}').text).toBe('no\u0000good');
    expect(await db.quarantine.count()).toBe(1);
    expect(counts).toEqual({ stored: 2, quarantined: 1 });
  });

  it('lets an error that may pass (not a data error) through, for the caller to retry', async () => {
    const guard = new IncomingWriteGuard({ quarantine: db.quarantine, logger });
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });
    await expect(guard.write([delivery('x', 'y')], () => Promise.reject(lost))).rejects.toBe(lost);
    expect(await db.quarantine.count()).toBe(1);
  });
});
