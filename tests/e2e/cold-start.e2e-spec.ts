import { once } from 'node:events';
import { createTestEnvironment, freePort, ManagedProcess, type TestEnvironment } from '@switchboard/testing';
import { dropDatabase } from '@switchboard/db';

const ROUNDS = 20;
const APIS = 3;
const WORKERS = 3;

/**
 * Three apis and three workers started at the same instant on a database that does not exist
 * yet: creation and migrations are serialized (advisory locks), "already exists" is success,
 * and workers wait for the schema. Every process must come up, every round.
 */
describe('cold start of many processes at once', () => {
  let env: TestEnvironment;
  const databases: string[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('e2e-cold-start');
  });

  afterAll(async () => {
    for (const url of databases) await dropDatabase(url).catch(() => undefined);
    await env?.cleanup();
  });

  it(`brings up ${APIS} apis and ${WORKERS} workers started together on a fresh database, ${ROUNDS} times in a row`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const databaseUrl = `${env.databaseUrl}_r${round}`;
      databases.push(databaseUrl);
      const settings = { ...env.env, DATABASE_URL: databaseUrl, REDIS_PREFIX: `${env.redisPrefix}-r${round}`, PARTITIONS: '4', LOG_LEVEL: 'info' };
      const ports = await Promise.all(Array.from({ length: APIS }, () => freePort()));
      const processes = [
        ...ports.map((port) => new ManagedProcess(`cold-api-${round}-${port}`, 'dist/apps/api/main.js', { ...settings, PORT: String(port), HOST: '127.0.0.1' })),
        ...Array.from({ length: WORKERS }, (_, i) => new ManagedProcess(`cold-worker-${round}-${i}`, 'dist/apps/worker/main.js', { ...settings, WORKER_ID: `cold-${round}-${i}` })),
      ];
      try {
        // Each process prints its readiness line, or the round fails at once with the log of the one that exited.
        await Promise.all(
          processes.map((proc) => {
            const exited = once(proc.child, 'exit').then(() => {
              throw new Error(`${proc.name} exited in round ${round}: ${proc.tail(1000)}`);
            });
            // Reported through the race; once the process is up, its exit (our kill) is expected.
            exited.catch(() => undefined);
            return Promise.race([proc.waitForOutput(/api listening on|worker started/, 30_000), exited]);
          }),
        );
        expect(processes.every((p) => p.running)).toBe(true);
      } finally {
        await Promise.all(processes.map((p) => p.kill9()));
      }
    }
  }, 300_000);
});
