import { Client } from 'pg';

function adminUrlFor(databaseUrl: string): { adminUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), database };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * SQLSTATEs that mean "someone else created it first": 42P04 duplicate_database, and 23505
 * unique_violation, which CREATE DATABASE raises instead when two run at the same instant
 * (the loser trips over pg_database's unique index).
 */
const ALREADY_EXISTS = new Set(['42P04', '23505']);

/** Advisory lock keys: one per database name, so deployments on one server never wait on each other. */
const CREATE_LOCK_SQL = "select pg_advisory_lock(hashtext('switchboard:create-database:' || $1))";
const CREATE_UNLOCK_SQL = "select pg_advisory_unlock(hashtext('switchboard:create-database:' || $1))";
const MIGRATE_LOCK_SQL = "select pg_advisory_lock(hashtext('switchboard:migrate'))";

/**
 * Creates the database of `databaseUrl` when it does not exist yet (the api creates it). Any
 * number of processes may call this at once: they take turns under an advisory lock, and
 * "already exists" counts as success.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const { adminUrl, database } = adminUrlFor(databaseUrl);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(CREATE_LOCK_SQL, [database]);
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) {
        try {
          await client.query(`create database ${quoteIdent(database)}`);
        } catch (error) {
          if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
        }
      }
    } finally {
      await client.query(CREATE_UNLOCK_SQL, [database]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs `migrate` while holding the database's migration lock, so processes started together
 * apply migrations one after another (the later ones find nothing left to do). The lock is a
 * session lock on a connection of its own: it is released when that connection ends, even if
 * the process dies midway.
 */
export async function withMigrationLock<T>(databaseUrl: string, migrate: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(MIGRATE_LOCK_SQL);
    return await migrate();
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
