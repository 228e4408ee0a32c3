import type { Database } from '../database';
import { useScratchDatabase } from '../scratch-database.int-support';

describe('AccountRepository.listToRestore: what a new owner of a partition starts', () => {
  const database = useScratchDatabase('account_restore');

  it('restores accounts that want to run and can, not those that need the user', async () => {
    const tenant = await database().tenants.create('acme');
    const account = async (name: string, status: Parameters<Database['accounts']['setStatus']>[1], desired: 'connected' | 'disconnected', withSession: boolean) => {
      const row = await database().accounts.create({ tenantId: tenant.id, provider: 'sandbox', name, partition: 7 });
      await database().accounts.setDesiredState(row.id, desired);
      await database().accounts.setStatus(row.id, status, null, '1');
      if (withSession) await database().sessions.save(row.id, Buffer.from('session'), '1');
      return name;
    };
    await account('connected', 'connected', 'connected', true);
    await account('reconnecting', 'reconnecting', 'connected', true);
    await account('qr pending', 'qr', 'connected', false);
    await account('failed client, session kept', 'failed', 'connected', true);
    await account('failed login, no session', 'failed', 'connected', false);
    await account('logged out', 'logged_out', 'connected', false);
    await account('disconnected by the user', 'disconnected', 'disconnected', true);

    const names = (await database().accounts.listToRestore([7])).map((a) => a.name).sort();
    expect(names).toEqual(['connected', 'failed client, session kept', 'qr pending', 'reconnecting']);
  });
});
