import { randomBytes } from 'node:crypto';
import { dropDatabase } from '../database-lifecycle';
import { openDatabase, type Database } from '../database';

const TEST_POSTGRES = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

describe('AccountRepository.listToRestore: what a new owner of a partition starts', () => {
  const databaseUrl = `${TEST_POSTGRES}/sbt_account_restore_${randomBytes(4).toString('hex')}`;
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl, migrate: true, sessionKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(databaseUrl);
  });

  it('restores accounts that want to run and can, not those that need the user', async () => {
    const tenant = await db.tenants.create('acme');
    const account = async (name: string, status: Parameters<Database['accounts']['setStatus']>[1], desired: 'connected' | 'disconnected', withSession: boolean) => {
      const row = await db.accounts.create({ tenantId: tenant.id, provider: 'sandbox', name, partition: 7 });
      await db.accounts.setDesiredState(row.id, desired);
      await db.accounts.setStatus(row.id, status, null, '1');
      if (withSession) await db.sessions.save(row.id, Buffer.from('session'), '1');
      return name;
    };
    await account('connected', 'connected', 'connected', true);
    await account('reconnecting', 'reconnecting', 'connected', true);
    await account('qr pending', 'qr', 'connected', false);
    await account('failed client, session kept', 'failed', 'connected', true);
    await account('failed login, no session', 'failed', 'connected', false);
    await account('logged out', 'logged_out', 'connected', false);
    await account('disconnected by the user', 'disconnected', 'disconnected', true);

    const names = (await db.accounts.listToRestore([7])).map((a) => a.name).sort();
    expect(names).toEqual(['connected', 'failed client, session kept', 'qr pending', 'reconnecting']);
  });
});
