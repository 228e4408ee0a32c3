import type { Redis } from 'ioredis';
import type { Logger, WorkerConfig } from '@switchboard/config';
import { openDatabase, SessionCipher, type Database } from '@switchboard/db';
import { EventPublisher, QrStore } from '@switchboard/events';
import { createMessengerFactory, LocalMediaStore, SandboxInboundReader, SandboxNetwork, SandboxSession } from '@switchboard/messengers';
import { createRedis, LoginInputStore, redisKeys } from '@switchboard/queue';
import { AccountController } from './accounts/account-controller';
import { AccountEventsService } from './accounts/account-events.service';
import { createJobDispatcher } from './jobs/job-dispatcher';
import { createJobHandlers } from './jobs/job-handlers';
import { DeliveryReceiptService } from './messages/delivery-receipt.service';
import { IncomingMessageService } from './messages/incoming-message.service';
import { IncomingWriteGuard } from './messages/incoming-write-guard';
import { startMetricsServer } from './metrics/metrics-server';
import { observeSends } from './metrics/observe-sends';
import { WorkerMetrics } from './metrics/worker-metrics';
import { SendMessageService } from './messages/send-message.service';
import { SendPacer } from './messages/send-pacer';
import { OwnershipManager } from './ownership/ownership-manager';
import { PartitionLeases } from './ownership/partition-lease';
import { WorkerRegistry } from './ownership/worker-registry';
import { PartitionHost } from './partitions/partition-host';
import { RestorePacer } from './sessions/restore-pacer';
import { SessionSupervisor } from './sessions/session-supervisor';
import { openDatabaseWhenReady } from './wait-for-database';

export interface RunningWorker {
  ownership: OwnershipManager;
  supervisor: SessionSupervisor;
  stop(): Promise<void>;
}

/** Wires the worker together and starts it; `stop()` is the ordered shutdown of CONVENTIONS.md. */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const keys = redisKeys(config.REDIS_PREFIX);
  const name = (role: string) => `${config.REDIS_PREFIX}:worker:${config.WORKER_ID}:${role}`;
  const redis = createRedis(config.REDIS_URL, 'command', name('cmd'));
  const bullConnection = createRedis(config.REDIS_URL, 'blocking', name('bull'));
  const sandboxBlocking = config.SANDBOX_ENABLED ? createRedis(config.REDIS_URL, 'blocking', name('sandbox')) : null;
  const db: Database = await openDatabaseWhenReady(
    () =>
      openDatabase({
        databaseUrl: config.DATABASE_URL,
        migrate: false,
        sessionKey: config.SESSION_ENCRYPTION_KEY,
        previousSessionKeys: config.SESSION_ENCRYPTION_PREVIOUS_KEYS,
      }),
    logger,
  );

  const publisher = new EventPublisher({ redis, streamKey: keys.events, maxLength: config.EVENT_STREAM_MAXLEN });
  const qrStore = new QrStore(redis, keys.qr);
  const cipher = new SessionCipher(config.SESSION_ENCRYPTION_KEY, config.SESSION_ENCRYPTION_PREVIOUS_KEYS);
  const loginInputs = new LoginInputStore(redis, keys, cipher);
  const sandboxNetwork = new SandboxNetwork({ redis, keys, partitions: config.PARTITIONS });
  const reportError = (what: string) => (error: unknown) => logger.error({ err: error }, what);

  const factory = createMessengerFactory({
    redis,
    keys,
    sandboxEnabled: config.SANDBOX_ENABLED,
    sandbox: { qrTtlMs: config.SANDBOX_QR_TTL_MS, qrMaxRefreshes: config.SANDBOX_QR_MAX_REFRESHES, ackDelayMs: config.SANDBOX_ACK_DELAY_MS },
    onError: reportError('session background work failed'),
  });
  const accountEvents = new AccountEventsService(db, publisher, qrStore);
  const metrics = new WorkerMetrics(config.WORKER_ID);
  const incoming = new IncomingMessageService(db, publisher, new IncomingWriteGuard({ quarantine: db.quarantine, logger, metrics }));
  const receipts = new DeliveryReceiptService(db, publisher);
  const supervisor = new SessionSupervisor({ db, factory, accountEvents, incoming, receipts, logger, workerId: config.WORKER_ID });
  const controller = new AccountController({ db, supervisor, accountEvents, loginInputs, qrStore, sandboxNetwork, logger });

  const leases = new PartitionLeases(redis, keys, config.WORKER_ID, config.LEASE_TTL_MS);
  const registry = new WorkerRegistry(redis, keys, config.WORKER_ID, config.LEASE_TTL_MS);
  // The manager is created below; the lease check reads it late (at send time).
  let ownership: OwnershipManager | null = null;
  const lease = { validToken: (p: number) => ownership?.validToken(p) ?? null };
  const pacer = new SendPacer(config.SEND_RATE_PER_SECOND, config.SEND_BURST);
  const mediaStore = new LocalMediaStore(config.MEDIA_DIR);
  const media = {
    read: async (url: string) => {
      const blob = await mediaStore.get(url.slice(url.lastIndexOf('/') + 1));
      if (!blob) throw new Error(`The media ${url} is missing from the media store (MEDIA_DIR).`);
      return blob;
    },
  };
  const sends = new SendMessageService(db, publisher, supervisor, pacer, receipts, lease, media);
  observeSends(sends, metrics);
  const handlers = createJobHandlers(controller, sends);

  const sandboxReader = sandboxBlocking
    ? new SandboxInboundReader({
        blockingRedis: sandboxBlocking,
        redis,
        keys,
        receiverOf: (accountId) => {
          const live = supervisor.get(accountId);
          return live?.session instanceof SandboxSession ? live.session : undefined;
        },
        onError: reportError('sandbox inbound read failed'),
      })
    : null;

  const restorePacer = new RestorePacer(
    {
      sandbox: { concurrency: config.RESTORE_CONCURRENCY_SANDBOX, spacingMs: config.RESTORE_SPACING_MS_SANDBOX },
      whatsapp: { concurrency: config.RESTORE_CONCURRENCY_WHATSAPP, spacingMs: config.RESTORE_SPACING_MS_WHATSAPP },
      telegram: { concurrency: config.RESTORE_CONCURRENCY_TELEGRAM, spacingMs: config.RESTORE_SPACING_MS_TELEGRAM },
    },
    (error, accountId) => logger.error({ err: error, accountId }, 'session restore failed'),
  );

  const host = new PartitionHost({
    db,
    bullConnection,
    keys,
    concurrency: config.PARTITION_CONCURRENCY,
    lockDurationMs: Math.max(2_000, config.LEASE_TTL_MS),
    dispatcherFor: (partition) => createJobDispatcher(handlers, () => lease.validToken(partition), logger),
    controller,
    supervisor,
    restorePacer,
    sandboxReader,
    registry,
    logger,
  });
  ownership = new OwnershipManager({
    workerId: config.WORKER_ID,
    partitions: config.PARTITIONS,
    leaseTtlMs: config.LEASE_TTL_MS,
    leases,
    registry,
    lifecycle: host,
    logger,
  });
  const manager = ownership;

  metrics.setSources({
    liveSessionsByProvider: () => supervisor.countByProvider(),
    leasesHeld: () => Array.from({ length: config.PARTITIONS }, (_, p) => manager.validToken(p)).filter(Boolean).length,
    restoresPending: () => restorePacer.pendingCount(),
  });
  const metricsServer = config.WORKER_METRICS_PORT === undefined ? null : await startMetricsServer(metrics.registry, config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST);
  if (metricsServer) logger.info({ port: metricsServer.port }, `worker metrics on port ${metricsServer.port} (GET /metrics)`);
  sandboxReader?.start();
  manager.start();
  logger.info({ workerId: config.WORKER_ID, partitions: config.PARTITIONS, leaseTtlMs: config.LEASE_TTL_MS }, 'worker started');

  const stop = async () => {
    const steps: [string, () => Promise<unknown> | unknown][] = [
      ['hand over partitions (finish jobs, stop sessions)', () => manager.stop()],
      ['stop restores', () => restorePacer.stop()],
      ['stop sandbox reader', () => sandboxReader?.stop()],
      ['close metrics server', () => metricsServer?.close()],
      ['close database', () => db.close()],
      ['close redis', () => Promise.all([redis, bullConnection].map((r: Redis) => r.quit().catch(() => r.disconnect())))],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error }, `shutdown step failed: ${what}`);
      }
    }
  };
  return { ownership: manager, supervisor, stop };
}
