import { z } from 'zod';
import { aesKeyFromEnv, booleanFromEnv, intFromEnv } from './env-parsers';

/** Settings every process reads (README "Configuration"). */
export const sharedConfigSchema = z.object({
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key Switchboard writes; with the db index, it keeps deployments apart. */
  REDIS_PREFIX: z.string().regex(/^[\w.-]+$/).default('sb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARTITIONS: intFromEnv(64, 1, 4096),
  SANDBOX_ENABLED: booleanFromEnv(false),
  SESSION_ENCRYPTION_KEY: aesKeyFromEnv,
  /** Older keys, comma-separated, still accepted for decryption while sessions are re-encrypted. */
  SESSION_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((k) => k.trim()).filter(Boolean) : []))
    .pipe(z.array(aesKeyFromEnv)),
  EVENT_STREAM_MAXLEN: intFromEnv(100_000, 100),
  /** The content-addressed media folder: the api writes uploads, workers write downloads, both read. */
  MEDIA_DIR: z.string().min(1).default('data/media'),
});
