import { randomBytes, randomUUID } from 'node:crypto';
import { dropDatabase } from './database-lifecycle';
import { openDatabase, type Database } from './database';
import { TickBatcher } from './tick-batcher';

// libs/testing depends on this lib, so the server is named here (same variable and default).
const TEST_POSTGRES = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

describe('TickBatcher against PostgreSQL: one bad row fails its own call, the rest of the tick is stored', () => {
  const databaseUrl = `${TEST_POSTGRES}/sbt_tick_batcher_${randomBytes(4).toString('hex')}`;
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl, migrate: true, sessionKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(databaseUrl);
  });

  it('answers the send of a deleted account with its foreign-key error and stores the others of the tick', async () => {
    const tenant = await db.tenants.create('acme');
    const [kept, deleted] = await Promise.all(['kept', 'deleted'].map((name, i) => db.accounts.create({ tenantId: tenant.id, provider: 'sandbox', name, partition: i })));
    const [keptChat, deletedChat] = await db.chats.ensureMany([
      { accountId: kept!.id, externalId: 'alice' },
      { accountId: deleted!.id, externalId: 'alice' },
    ]);
    // Deleted between the lookups and the insert (the api caches them for a while).
    await db.accounts.delete(deleted!.id);

    const writes = new TickBatcher((inputs: Parameters<Database['messages']['createManyOutgoing']>[0][number][]) => db.messages.createManyOutgoing(inputs));
    const message = (accountId: string, chatId: string, text: string) => ({ id: randomUUID(), accountId, chatId, text, media: null, idempotencyKey: null });
    const results = await Promise.allSettled([
      writes.add(message(kept!.id, keptChat!.id, 'one')),
      writes.add(message(deleted!.id, deletedChat!.id, 'lost')),
      writes.add(message(kept!.id, keptChat!.id, 'two')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    const stored = await db.knex('message').where({ account_id: kept!.id }).orderBy('created_at').pluck('text');
    expect(stored).toEqual(['one', 'two']);
  });
});
