import { randomBytes } from 'node:crypto';
import { dropDatabase } from './database-lifecycle';
import { openDatabase, type Database } from './database';

// libs/testing depends on this lib, so the server is named here (same variable and default).
const TEST_POSTGRES = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

describe('migrations', () => {
  const databaseUrl = `${TEST_POSTGRES}/sbt_schema_diff_${randomBytes(4).toString('hex')}`;
  let db: Database;

  beforeAll(async () => {
    // A database that does not exist yet: openDatabase creates it, as the api does at start.
    db = await openDatabase({ databaseUrl, migrate: true, sessionKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(databaseUrl);
  });

  it('build exactly the schema the entities describe', async () => {
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('have nothing left to apply after a run', async () => {
    expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });
});
