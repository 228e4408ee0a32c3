import type { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import type { Logger, WorkerConfig } from '@switchboard/config';
import { JOB_NAMES } from '@switchboard/queue';
import { openDatabase, type Database } from '@switchboard/db';
import { EventPublisher, QrStore } from '@switchboard/events';
import { createMessengers, LocalMediaStore, type OutgoingMessage } from '@switchboard/messengers';
import { createRedis, LoginInputStore, redisKeys } from '@switchboard/queue';
import { SessionCipher } from '@switchboard/db';
import { AccountController } from './accounts/account-controller';
import { AccountEventsService } from './accounts/account-events.service';
import { createJobDispatcher } from './jobs/job-dispatcher';
import { createJobHandlers } from './jobs/job-handlers';
import { DeliveryReceiptService } from './messages/delivery-receipt.service';
import { IncomingMessageService } from './messages/incoming-message.service';
import { MediaDownloads } from './messages/media-downloads';
import { MessageActionsService } from './messages/message-actions.service';
import { MessageUpdatesService } from './messages/message-updates.service';
import { IncomingWriteGuard } from './messages/incoming-write-guard';
import { startMetricsServer } from './metrics/metrics-server';
import { observeSends } from './metrics/observe-sends';
import { WorkerMetrics } from './metrics/worker-metrics';
import { SendMessageService } from './messages/send-message.service';
import { SendPacer } from './messages/send-pacer';
import { WaitingSends } from './messages/waiting-sends';
import { OwnershipManager } from './ownership/ownership-manager';
import { PartitionLeases } from './ownership/partition-lease';
import { WorkerRegistry } from './ownership/worker-registry';
import { PartitionHost } from './partitions/partition-host';
import { AccountActor } from './sessions/account-actor';
import { clientTimeoutsFrom } from './sessions/client-timeouts';
import { RestorePacer } from './sessions/restore-pacer';
import { SessionSupervisor } from './sessions/session-supervisor';
import { openDatabaseWhenReady } from './wait-for-database';

export interface RunningWorker {
  ownership: OwnershipManager;
  supervisor: SessionSupervisor;
  stop(): Promise<void>;
}

/** FAULT_INJECTION=kill-after-send:<text>: dies between the provider's answer and our write. */
function killAfterSend(setting: string | undefined, logger: Logger): ((message: OutgoingMessage) => void) | undefined {
  if (!setting?.startsWith('kill-after-send:')) return undefined;
  const text = setting.slice('kill-after-send:'.length);
  return (message) => {
    if (message.text !== text) return;
    logger.warn({ messageId: message.clientMessageId }, 'fault injection: killing this worker after the provider accepted the send');
    process.kill(process.pid, 'SIGKILL');
  };
}

/** FAULT_INJECTION=stop-before-session-delete: freezes (SIGSTOP) before deleting a stored session. */
function stopBeforeSessionDelete(setting: string | undefined, logger: Logger): (() => void) | undefined {
  if (setting !== 'stop-before-session-delete') return undefined;
  return () => {
    logger.warn('fault injection: freezing this worker before it deletes a stored session');
    process.kill(process.pid, 'SIGSTOP');
  };
}

/** Wires the worker together and starts it; `stop()` is the ordered shutdown of CONVENTIONS.md. */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const keys = redisKeys(config.REDIS_PREFIX);
  const name = (role: string) => `${config.REDIS_PREFIX}:worker:${config.WORKER_ID}:${role}`;
  const redis = createRedis(config.REDIS_URL, 'command', name('cmd'));
  const bullConnection = createRedis(config.REDIS_URL, 'blocking', name('bull'));
  const blockingConnections: Redis[] = [];
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
  const reportError = (what: string) => (error: unknown) => logger.error({ err: error }, what);

  const messengers = createMessengers({
    redis,
    blockingRedis: () => {
      const connection = createRedis(config.REDIS_URL, 'blocking', name(`messenger-${blockingConnections.length}`));
      blockingConnections.push(connection);
      return connection;
    },
    keys,
    partitions: config.PARTITIONS,
    sandboxEnabled: config.SANDBOX_ENABLED,
    sandbox: {
      qrTtlMs: config.SANDBOX_QR_TTL_MS,
      qrMaxRefreshes: config.SANDBOX_QR_MAX_REFRESHES,
      ackDelayMs: config.SANDBOX_ACK_DELAY_MS,
      clientTtlMs: config.SANDBOX_CLIENT_TTL_MS,
    },
    onError: reportError('session background work failed'),
  });
  const accountEvents = new AccountEventsService(db, publisher, qrStore, logger, stopBeforeSessionDelete(config.FAULT_INJECTION, logger));
  const metrics = new WorkerMetrics(config.WORKER_ID);
  const mediaStore = new LocalMediaStore(config.MEDIA_DIR);
  const downloads = new MediaDownloads({
    db,
    publisher,
    store: mediaStore,
    maxBytes: config.MEDIA_MAX_BYTES,
    concurrency: config.MEDIA_DOWNLOAD_CONCURRENCY,
    logger,
  });
  const incoming = new IncomingMessageService(db, publisher, new IncomingWriteGuard({ quarantine: db.quarantine, logger, metrics }), downloads);
  const updates = new MessageUpdatesService(db, publisher);
  const receipts = new DeliveryReceiptService(db, publisher);
  const waitingSends = new WaitingSends(db, redis, keys.bullPrefix, logger);
  const wakeWaitingSends = (ref: Parameters<WaitingSends['wake']>[0]) =>
    waitingSends.wake(ref).catch((error: unknown) => logger.warn({ err: error, accountId: ref.id }, 'waking waiting sends failed'));

  const leases = new PartitionLeases(redis, keys, config.WORKER_ID, config.LEASE_TTL_MS);
  const registry = new WorkerRegistry(redis, keys, config.WORKER_ID, config.LEASE_TTL_MS);
  // The manager is created below; lease checks read it late (at call time).
  let ownership: OwnershipManager | null = null;
  const leaseHolds = (partition: number, token: string) => ownership?.validToken(partition) === token;

  const timeouts = clientTimeoutsFrom(config);
  const supervisor = new SessionSupervisor(
    (ref, token, after) =>
      new AccountActor(
        ref,
        token,
        leases.fenceOf(ref.partition, token),
        {
          db,
          messengers,
          accountEvents,
          incoming,
          receipts,
          updates,
          leaseHolds,
          timeouts: timeouts[ref.provider],
          restart: { backoffMs: config.CLIENT_RESTART_BACKOFF_MS, maxFailures: config.CLIENT_MAX_FAILURES },
          workerId: config.WORKER_ID,
          logger,
          onConnected: (connected) => void wakeWaitingSends(connected),
        },
        after,
      ),
    logger,
  );
  const controller = new AccountController({
    db,
    supervisor,
    accountEvents,
    loginInputs,
    messengers,
    redisFenceOf: (partition, token) => leases.fenceOf(partition, token),
    leaseHolds,
    wakeWaitingSends: async (ref) => void (await wakeWaitingSends(ref)),
    logger,
  });

  const pacer = new SendPacer(config.SEND_RATE_PER_SECOND, config.SEND_BURST);
  const media = {
    read: async (url: string) => {
      const blob = await mediaStore.get(url.slice(url.lastIndexOf('/') + 1));
      if (!blob) throw new Error(`The media ${url} is missing from the media store (MEDIA_DIR).`);
      return blob;
    },
  };
  const sends = new SendMessageService({
    db,
    publisher,
    supervisor,
    pacer,
    receipts,
    media,
    waitForConnectionMs: config.SEND_WAIT_FOR_CONNECTION_MS,
    afterProviderSend: killAfterSend(config.FAULT_INJECTION, logger),
  });
  observeSends(sends, metrics);
  const actions = new MessageActionsService({ db, publisher, supervisor, updates, pacer, limitMs: config.SEND_WAIT_FOR_CONNECTION_MS });
  const handlers = createJobHandlers(controller, sends, actions);
  const attemptsOf = (job: Job) => (job.name === JOB_NAMES.send ? config.SEND_ATTEMPTS : (job.opts.attempts ?? 1));

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
    dispatcherFor: (partition) => createJobDispatcher({ handlers, tokenOf: () => ownership?.validToken(partition) ?? null, attemptsOf, logger }),
    sendBackoffMs: config.SEND_BACKOFF_MS,
    controller,
    supervisor,
    restorePacer,
    messengers,
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
  messengers.start();
  manager.start();
  logger.info({ workerId: config.WORKER_ID, partitions: config.PARTITIONS, leaseTtlMs: config.LEASE_TTL_MS }, 'worker started');

  const stop = async () => {
    const steps: [string, () => Promise<unknown> | unknown][] = [
      ['hand over partitions (finish jobs, stop sessions)', () => manager.stop()],
      ['stop restores', () => restorePacer.stop()],
      ['stop messengers', () => messengers.stop()],
      ['close queues', () => waitingSends.close()],
      ['close metrics server', () => metricsServer?.close()],
      ['close database', () => db.close()],
      ['close redis', () => Promise.all([redis, bullConnection, ...blockingConnections].map((r: Redis) => r.quit().catch(() => r.disconnect())))],
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
