import { Client } from 'pg';

function adminUrlFor(databaseUrl: string): { adminUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), database };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database of `databaseUrl` when it does not exist yet (API.md: the api creates it). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const { adminUrl, database } = adminUrlFor(databaseUrl);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database ${quoteIdent(database)}`);
      } catch (error) {
        // Two api instances starting together: the other one created it first.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests and the benchmark clean up after themselves). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { adminUrl, database } = adminUrlFor(databaseUrl);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
  } finally {
    await client.end();
  }
}
