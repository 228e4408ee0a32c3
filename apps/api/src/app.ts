import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { ApiConfig, Logger } from '@switchboard/config';
import { ROUTES } from '@switchboard/contracts';
import type { Database } from '@switchboard/db';
import { QrStore } from '@switchboard/events';
import { SandboxNetwork, type MediaStore } from '@switchboard/messengers';
import { LoginInputStore, redisKeys, type JobProducer, type SecretSealer } from '@switchboard/queue';
import type { ApiKeyResolver } from './auth/api-key-resolver';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import type { ControlChannel } from './control/control-channel';
import { Authenticator, authMiddlewares } from './http/auth';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { methodNotAllowedHandler } from './http/method-not-allowed';
import { observeRequests } from './http/request-metrics';
import { createApiMetrics, type ApiMetrics } from './metrics/api-metrics';
import { accountsRoutes } from './routes/accounts.routes';
import { adminRoutes } from './routes/admin.routes';
import { bullBoardRoutes } from './routes/bull-board.routes';
import { chatsRoutes } from './routes/chats.routes';
import { consoleRoutes } from './routes/console.routes';
import { docsRoutes } from './routes/docs.routes';
import { healthRoutes } from './routes/health.routes';
import { mediaRoutes } from './routes/media.routes';
import { messageActionsRoutes } from './routes/message-actions.routes';
import { messagesRoutes } from './routes/messages.routes';
import { metricsRoutes } from './routes/metrics.routes';
import { quarantineRoutes } from './routes/quarantine.routes';
import { sandboxRoutes } from './routes/sandbox.routes';
import { tenantsRoutes } from './routes/tenants.routes';
import { AccountsService } from './services/accounts.service';
import { ChatsService } from './services/chats.service';
import { ClusterService } from './services/cluster.service';
import { JobDispatcher } from './services/job-dispatcher';
import { MediaService } from './services/media.service';
import { MessageActionsService } from './services/message-actions.service';
import { MessagesService } from './services/messages.service';
import { ReadinessService } from './services/readiness.service';
import { RedisGuard } from './services/redis-guard';
import { SandboxService } from './services/sandbox.service';
import { TenantsService } from './services/tenants.service';

export interface AppDeps {
  config: ApiConfig;
  logger: Logger;
  db: Database;
  /** The request path's Redis connection (role `producer`: fails fast, so requests answer 503). */
  redis: Redis;
  producer: JobProducer;
  apiKeys: ApiKeyResolver;
  control: ControlChannel;
  mediaStore: MediaStore;
  /** Seals login input (a code, a password) before it is parked in Redis. */
  sealer: SecretSealer;
  /** Failed authentications per client (shared with realtime); made here when absent. */
  authFailures?: AuthFailureLimiter;
  /** The process's metrics (shared with realtime); made here when absent. */
  metrics?: ApiMetrics;
}

/** The HTTP application: routes of docs/api.md, Bull Board, metrics, docs. No listening, no connections of its own. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, db, redis, producer } = deps;
  const keys = redisKeys(config.REDIS_PREFIX);
  const guard = new RedisGuard(redis, logger);
  const jobs = new JobDispatcher(producer, guard);
  const auth = authMiddlewares(new Authenticator(config.ADMIN_API_KEY, deps.apiKeys), deps.authFailures ?? new AuthFailureLimiter());
  const metrics = deps.metrics ?? createApiMetrics({ queues: () => producer.allQueues(), redisReady: () => redis.status === 'ready', logger });
  const readiness = new ReadinessService({
    redis: async () => {
      // A connection that is not ready would queue the PING; say why at once instead.
      if (redis.status !== 'ready') throw new Error(`the connection is ${redis.status}`);
      await redis.ping();
    },
    postgres: () => db.ping(),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Self-hosted instances are often reached over plain HTTP on a LAN address; upgrading
      // their asset URLs to https would break the console, /docs and Bull Board there.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(observeRequests(metrics.httpDuration, logger));

  app.use(healthRoutes(readiness));
  app.use(docsRoutes());
  app.use(metricsRoutes(metrics.registry, auth));
  app.use(bullBoardRoutes(producer.allQueues(), auth.adminWithBrowserChallenge));
  app.use(adminRoutes(new ClusterService({ redis, guard, keys, accounts: db.accounts, partitions: config.PARTITIONS, leaseTtlMs: config.LEASE_TTL_MS }), auth));
  app.use(tenantsRoutes(new TenantsService({ tenants: db.tenants, apiKeys: deps.apiKeys, control: deps.control, logger }), auth));
  app.use(
    accountsRoutes(
      new AccountsService({
        accounts: db.accounts,
        jobs,
        qrCodes: new QrStore(redis, keys.qr),
        loginInputs: new LoginInputStore(redis, keys, deps.sealer),
        redis: guard,
        partitions: config.PARTITIONS,
      }),
      auth,
    ),
  );
  app.use(chatsRoutes(new ChatsService({ accounts: db.accounts, chats: db.chats, messages: db.messages, jobs }), auth));
  app.use(
    messagesRoutes(
      new MessagesService({ accounts: db.accounts, chats: db.chats, messages: db.messages, media: deps.mediaStore, jobs }),
      auth,
    ),
  );
  app.use(messageActionsRoutes(new MessageActionsService({ messages: db.messages, jobs }), auth));
  app.use(quarantineRoutes(db.quarantine, auth));
  app.use(mediaRoutes(new MediaService({ messages: db.messages, store: deps.mediaStore }), auth, logger));
  if (config.SANDBOX_ENABLED) {
    const network = new SandboxNetwork({ redis, keys, partitions: config.PARTITIONS });
    app.use(sandboxRoutes(new SandboxService({ accounts: db.accounts, network, redis: guard }), auth));
  }
  const web = consoleRoutes(config.WEB_DIST_DIR);
  if (web) app.use(web);

  app.use(methodNotAllowedHandler(ROUTES.filter((route) => config.SANDBOX_ENABLED || !route.path.startsWith('/v1/sandbox/'))));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
