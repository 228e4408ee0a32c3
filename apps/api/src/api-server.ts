import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { createLogger, type ApiConfig, type Logger } from '@switchboard/config';
import { openDatabase, SessionCipher, whenPostgresIsReachable } from '@switchboard/db';
import { LocalMediaStore } from '@switchboard/messengers';
import { createRedis, JobProducer, redisKeys } from '@switchboard/queue';
import { createApp } from './app';
import { createApiMetrics } from './metrics/api-metrics';
import { answerClientErrorsAsJson } from './http/client-error';
import { ApiKeyResolver } from './auth/api-key-resolver';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { ControlChannel } from './control/control-channel';
import type { AttachRealtime, RealtimeHandle } from './realtime-hook';
import { runShutdownSteps, type ShutdownStep } from './shutdown';

export interface StartApiOptions {
  logger?: Logger;
  /** The realtime (Socket.IO) module: attached to the http server before it listens. */
  attachRealtime?: AttachRealtime;
}

export interface ApiServer {
  /** Where it listens, e.g. http://127.0.0.1:3000 (a wildcard host is reported as 127.0.0.1). */
  url: string;
  server: Server;
  /** Stops intake, then closes realtime, the http server, the producer, the database and Redis. */
  close(): Promise<void>;
}

/**
 * Starts one api process's worth: database (migrated), Redis connections, producer, app and
 * http server. A Redis that is down does not stop the start: requests that need it answer 503
 * and /readyz says so, until it comes back.
 */
export async function startApi(config: ApiConfig, options: StartApiOptions = {}): Promise<ApiServer> {
  const logger = options.logger ?? createLogger('api', config.LOG_LEVEL);
  // Closed in reverse order of opening: producer, database, then the Redis connections.
  const opened: ShutdownStep[] = [];
  try {
    const redis = createRedis(config.REDIS_URL, 'producer', 'switchboard-api');
    opened.push({ name: 'redis', run: () => closeRedis(redis) });
    reportRedisState(redis, logger);
    // SUBSCRIBE holds a connection; `blocking` keeps retrying until Redis is there.
    const subscriber = createRedis(config.REDIS_URL, 'blocking', 'switchboard-api-control');
    opened.push({ name: 'control subscriber', run: () => closeRedis(subscriber) });
    const db = await whenPostgresIsReachable(
      () =>
        openDatabase({
          databaseUrl: config.DATABASE_URL,
          migrate: true,
          sessionKey: config.SESSION_ENCRYPTION_KEY,
          previousSessionKeys: config.SESSION_ENCRYPTION_PREVIOUS_KEYS,
        }),
      { onWait: (reason) => logger.warn({ reason }, `waiting for PostgreSQL to accept connections: ${reason}`) },
    );
    opened.push({ name: 'database', run: () => db.close() });
    const producer = new JobProducer({ connection: redis, prefix: config.REDIS_PREFIX, partitions: config.PARTITIONS });
    opened.push({ name: 'job producer', run: () => producer.close() });

    const keys = redisKeys(config.REDIS_PREFIX);
    const apiKeys = new ApiKeyResolver(db.tenants);
    const control = new ControlChannel({ publisher: redis, subscriber, channel: keys.control, logger });
    control.onKeyRevoked((keyId) => apiKeys.invalidateKey(keyId));
    control.start();

    const metrics = createApiMetrics({
      queues: () => producer.allQueues(),
      redisReady: () => redis.status === 'ready',
      logger,
      deployment: {
        accountsByStatus: () => db.accounts.countByStatus(),
        eventStreamLength: () => redis.xlen(keys.events),
        quarantinedMessages: () => db.quarantine.count(),
      },
    });
    const authFailures = new AuthFailureLimiter();
    const app = createApp({
      metrics,
      authFailures,
      config,
      logger,
      db,
      redis,
      producer,
      apiKeys,
      control,
      mediaStore: new LocalMediaStore(config.MEDIA_DIR),
      sealer: new SessionCipher(config.SESSION_ENCRYPTION_KEY, config.SESSION_ENCRYPTION_PREVIOUS_KEYS),
    });
    const server = createServer(app);
    answerClientErrorsAsJson(server);
    const realtime = options.attachRealtime
      ? await options.attachRealtime(server, { config, logger, keys, apiKeys, control, eventLag: metrics.eventLag, authFailures })
      : null;
    try {
      await listen(server, config.PORT, config.HOST);
    } catch (error) {
      await realtime?.close();
      throw error;
    }

    const resources = [...opened].reverse();
    return { url: urlOf(server, config.HOST), server, close: once(() => shutdown(server, realtime, resources, logger)) };
  } catch (error) {
    await runShutdownSteps([...opened].reverse(), logger);
    throw error;
  }
}

/** Stop intake → sockets → http server → producer → database → Redis; every step runs. */
async function shutdown(server: Server, realtime: RealtimeHandle | null, resources: ShutdownStep[], logger: Logger): Promise<void> {
  let httpClosed: Promise<void> = Promise.resolve();
  const stopAccepting = () => {
    httpClosed = closeHttpServer(server);
    // Awaited (and reported) by the "http server" step; never an unhandled rejection meanwhile.
    httpClosed.catch(() => undefined);
  };
  await runShutdownSteps(
    [
      { name: 'stop accepting', run: stopAccepting },
      // Live sockets would keep the http server open: they go first.
      ...(realtime ? [{ name: 'realtime', run: () => realtime.close() }] : []),
      { name: 'http server', run: () => httpClosed },
      ...resources,
    ],
    logger,
  );
}

/** Stops accepting at once; idle keep-alive sockets close now, busy ones after their answer (or a grace period). */
function closeHttpServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** QUIT when connected (pending replies arrive first); a connection still retrying is just dropped. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** Logs transitions only: a Redis that is down retries every couple of seconds, silently. */
function reportRedisState(redis: Redis, logger: Logger): void {
  let up = false;
  redis.on('ready', () => {
    up = true;
    logger.info('redis connected');
  });
  redis.on('close', () => {
    if (up) logger.warn('redis connection lost; requests that need it answer 503 until it is back');
    up = false;
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
