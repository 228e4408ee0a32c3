import { randomBytes } from 'node:crypto';
import { dropDatabase } from './database-lifecycle';
import { openDatabase, type Database } from './database';

// libs/testing depends on this lib, so the server is named here (same variable and default).
const TEST_POSTGRES = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * For a test file of this lib: a database of its own, created (and migrated) before its tests
 * and dropped after them. Answers the open database; call it inside the tests.
 */
export function useScratchDatabase(name: string): () => Database {
  const databaseUrl = `${TEST_POSTGRES}/sbt_${name}_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  beforeAll(async () => {
    // A database that does not exist yet: openDatabase creates it, as the api does at start.
    db = await openDatabase({ databaseUrl, migrate: true, sessionKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(databaseUrl);
  });
  return () => {
    if (!db) throw new Error('the scratch database is opened before the tests run');
    return db;
  };
}
