import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sharedConfigSchema } from './shared.config';
import { intFromEnv } from './env-parsers';

const workerSettingsSchema = sharedConfigSchema.extend({
  WORKER_ID: z
    .string()
    .regex(/^[\w.-]+$/)
    .default(() => `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`),
  LEASE_TTL_MS: intFromEnv(15_000, 1_000),
  /** Jobs one partition's BullMQ Worker runs at once (accounts of a partition share it). */
  PARTITION_CONCURRENCY: intFromEnv(50, 1, 1000),
  /** Outbound pace per account: a token bucket. */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  SEND_BURST: intFromEnv(5, 1),
  /** Attempts of a send that fails transiently (the worker applies them: jobs carry no count). */
  SEND_ATTEMPTS: intFromEnv(5, 1, 50),
  /** First retry delay of a send; each later retry waits twice as long. */
  SEND_BACKOFF_MS: intFromEnv(1_000, 10),
  /** How long a send waits for its account to connect (from the moment it was queued) before it fails. */
  SEND_WAIT_FOR_CONNECTION_MS: intFromEnv(24 * 3600_000, 100),
  /** Largest incoming media downloaded into the media store; bigger media is kept as metadata (`too_large`). */
  MEDIA_MAX_BYTES: intFromEnv(64 * 1024 * 1024, 0),
  /** Incoming media downloaded at once per worker. */
  MEDIA_DOWNLOAD_CONCURRENCY: intFromEnv(4, 1, 64),
  /** Timeouts of a client's calls, per provider: a start (restore or login step), a send, a stop. */
  START_TIMEOUT_MS_SANDBOX: intFromEnv(15_000, 100),
  START_TIMEOUT_MS_WHATSAPP: intFromEnv(120_000, 100),
  START_TIMEOUT_MS_TELEGRAM: intFromEnv(60_000, 100),
  SEND_TIMEOUT_MS_SANDBOX: intFromEnv(10_000, 100),
  SEND_TIMEOUT_MS_WHATSAPP: intFromEnv(60_000, 100),
  SEND_TIMEOUT_MS_TELEGRAM: intFromEnv(30_000, 100),
  STOP_TIMEOUT_MS_SANDBOX: intFromEnv(5_000, 100),
  STOP_TIMEOUT_MS_WHATSAPP: intFromEnv(20_000, 100),
  STOP_TIMEOUT_MS_TELEGRAM: intFromEnv(10_000, 100),
  /** A client that dies or fails to start is recreated after this (doubling, up to a minute)… */
  CLIENT_RESTART_BACKOFF_MS: intFromEnv(1_000, 10),
  /** …and after this many failures in a row the account is `failed` with the reason. */
  CLIENT_MAX_FAILURES: intFromEnv(5, 1),
  /** Paced restore after a takeover or a restart, per provider. */
  RESTORE_CONCURRENCY_SANDBOX: intFromEnv(50, 1),
  RESTORE_SPACING_MS_SANDBOX: intFromEnv(0, 0),
  RESTORE_CONCURRENCY_WHATSAPP: intFromEnv(2, 1),
  RESTORE_SPACING_MS_WHATSAPP: intFromEnv(3_000, 0),
  RESTORE_CONCURRENCY_TELEGRAM: intFromEnv(5, 1),
  RESTORE_SPACING_MS_TELEGRAM: intFromEnv(500, 0),
  /** The sandbox messenger's timings (short in tests). */
  SANDBOX_QR_TTL_MS: intFromEnv(20_000, 100),
  SANDBOX_QR_MAX_REFRESHES: intFromEnv(5, 0),
  SANDBOX_ACK_DELAY_MS: intFromEnv(100, 0),
  /**
   * A sandbox client whose heartbeat stops this long is disconnected. It must lapse before the
   * lease of its dead worker does (at most half of LEASE_TTL_MS); default: 2000, or half the lease.
   */
  SANDBOX_CLIENT_TTL_MS: z.coerce.number().int().min(100).optional(),
  /**
   * Test-only fault injection. `kill-after-send:<text>`: the worker kills itself (SIGKILL) right
   * after the provider accepted a send whose text is <text>, before the result is stored.
   * `stop-before-session-delete`: the worker freezes itself (SIGSTOP) right before it deletes a
   * stored session, so a test can let the lease move on and then wake it (SIGCONT).
   */
  FAULT_INJECTION: z
    .string()
    .regex(/^(kill-after-send:.+|stop-before-session-delete)$/)
    .optional(),
  TELEGRAM_API_ID: z.coerce.number().int().positive().optional(),
  TELEGRAM_API_HASH: z.string().optional(),
  WHATSAPP_SESSION_STORAGE: z.enum(['database', 'filesystem']).default('database'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /** Where the worker serves GET /metrics (Prometheus); unset: no metrics server. 0 picks a free port. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  /** Extra Chromium flags, separated by whitespace, appended after ours. */
  CHROMIUM_ARGS: z
    .string()
    .default('')
    .transform((value) => value.split(/\s+/).filter(Boolean)),
  /** The WhatsApp Web version to load, from a saved page `<WHATSAPP_WEB_CACHE_DIR>/<version>.html`. */
  WHATSAPP_WEB_VERSION: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('2.3000.1017054665'),
  WHATSAPP_WEB_CACHE_DIR: z.string().default('data/whatsapp-web'),
});
export const workerConfigSchema = workerSettingsSchema
  .superRefine((config, ctx) => {
    if (config.SANDBOX_CLIENT_TTL_MS !== undefined && config.SANDBOX_CLIENT_TTL_MS > config.LEASE_TTL_MS / 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_CLIENT_TTL_MS'],
        message: `must be at most half of LEASE_TTL_MS (${config.LEASE_TTL_MS}): a dead worker's clients must lapse before its leases`,
      });
    }
  })
  .transform((config) => ({ ...config, SANDBOX_CLIENT_TTL_MS: config.SANDBOX_CLIENT_TTL_MS ?? Math.min(2_000, Math.floor(config.LEASE_TTL_MS / 2)) }));
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
