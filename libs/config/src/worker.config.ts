import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sharedConfigSchema } from './shared.config';
import { intFromEnv } from './env-parsers';

export const workerConfigSchema = sharedConfigSchema.extend({
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
  SEND_ATTEMPTS: intFromEnv(5, 1, 50),
  SEND_BACKOFF_MS: intFromEnv(1_000, 10),
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
  TELEGRAM_API_ID: z.coerce.number().int().positive().optional(),
  TELEGRAM_API_HASH: z.string().optional(),
  WHATSAPP_SESSION_STORAGE: z.enum(['database', 'filesystem']).default('database'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
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
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
