import { z } from 'zod';
import { sharedConfigSchema } from './shared.config';
import { intFromEnv } from './env-parsers';

export const apiConfigSchema = sharedConfigSchema.extend({
  PORT: intFromEnv(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** Where the built console lives; served at / when present. */
  WEB_DIST_DIR: z.string().default('dist/apps/web'),
  /** The workers' lease TTL: the cluster view calls a worker live while its heartbeat is younger. */
  LEASE_TTL_MS: intFromEnv(15_000, 1_000),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;
