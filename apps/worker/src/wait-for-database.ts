import type { Logger } from '@switchboard/config';
import type { Database } from '@switchboard/db';

/**
 * The api creates the database and applies migrations; a worker started beside it waits until
 * the schema is there (bounded), instead of crashing on a race at first start.
 */
export async function openDatabaseWhenReady(open: () => Promise<Database>, logger: Logger, timeoutMs = 120_000): Promise<Database> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const db = await open();
      try {
        await db.knex.raw('select 1 from account limit 0');
        return db;
      } catch (error) {
        await db.close();
        throw error;
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      if (attempt === 1 || attempt % 10 === 0) logger.info({ reason: (error as Error).message }, 'waiting for the database schema (the api applies migrations)');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
