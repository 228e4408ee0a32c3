import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { dropDatabase, ensureDatabase } from '@switchboard/db';

export const TEST_POSTGRES = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnvironment {
  /** A database of its own (created empty). */
  databaseUrl: string;
  redisUrl: string;
  /** A Redis key prefix of its own. */
  redisPrefix: string;
  sessionKey: string;
  adminKey: string;
  /** Environment variables for a process of this environment. */
  env: Record<string, string>;
  /** Drops the database and deletes every Redis key of the prefix. */
  cleanup(): Promise<void>;
}

/**
 * Isolation for one test file: its own database and its own Redis key prefix, so test files
 * (and a developer's running system) never collide.
 */
export async function createTestEnvironment(name: string): Promise<TestEnvironment> {
  const suffix = `${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${TEST_POSTGRES}/sbt_${suffix}`;
  await ensureDatabase(databaseUrl);
  const redisPrefix = `sbt-${suffix}`;
  const sessionKey = randomBytes(32).toString('base64');
  const adminKey = `admin-${randomBytes(16).toString('hex')}`;
  return {
    databaseUrl,
    redisUrl: TEST_REDIS_URL,
    redisPrefix,
    sessionKey,
    adminKey,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      SESSION_ENCRYPTION_KEY: sessionKey,
      ADMIN_API_KEY: adminKey,
      SANDBOX_ENABLED: 'true',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // Empty wins over a developer's .env (which names one fixed port): no metrics server,
      // unless a test asks for one on a free port.
      WORKER_METRICS_PORT: '',
    },
    cleanup: async () => {
      await dropDatabase(databaseUrl);
      await deleteKeysWithPrefix(TEST_REDIS_URL, redisPrefix);
    },
  };
}

export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
