import { randomUUID } from 'node:crypto';
import type { Database } from './database';
import { useScratchDatabase } from './scratch-database.int-support';
import { TickBatcher } from './tick-batcher';

describe('TickBatcher against PostgreSQL: one bad row fails its own call, the rest of the tick is stored', () => {
  const database = useScratchDatabase('tick_batcher');

  it('answers the send of a deleted account with its foreign-key error and stores the others of the tick', async () => {
    const tenant = await database().tenants.create('acme');
    const [kept, deleted] = await Promise.all(['kept', 'deleted'].map((name, i) => database().accounts.create({ tenantId: tenant.id, provider: 'sandbox', name, partition: i })));
    const [keptChat, deletedChat] = await database().chats.ensureMany([
      { accountId: kept!.id, externalId: 'alice' },
      { accountId: deleted!.id, externalId: 'alice' },
    ]);
    // Deleted between the lookups and the insert (the api caches them for a while).
    await database().accounts.delete(deleted!.id);

    const writes = new TickBatcher((inputs: Parameters<Database['messages']['createManyOutgoing']>[0][number][]) => database().messages.createManyOutgoing(inputs));
    const message = (accountId: string, chatId: string, text: string) => ({ id: randomUUID(), accountId, chatId, text, media: null, idempotencyKey: null });
    const results = await Promise.allSettled([
      writes.add(message(kept!.id, keptChat!.id, 'one')),
      writes.add(message(deleted!.id, deletedChat!.id, 'lost')),
      writes.add(message(kept!.id, keptChat!.id, 'two')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    const stored = await database().knex('message').where({ account_id: kept!.id }).orderBy('created_at').pluck('text');
    expect(stored).toEqual(['one', 'two']);
  });
});
