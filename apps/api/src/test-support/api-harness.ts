import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { apiConfigSchema, createLogger, loadConfig, type ApiConfig } from '@switchboard/config';
import { Account, ErrorBody, TenantCreated } from '@switchboard/contracts';
import { openDatabase, type Database } from '@switchboard/db';
import { createRedis, JobProducer, redisKeys, type RedisKeys } from '@switchboard/queue';
import { createTestEnvironment, type TestEnvironment } from '@switchboard/testing';
import { startApi, type ApiServer } from '../api-server';

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

export interface RequestOptions {
  key?: string;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent as is with Content-Type: application/json (malformed or huge bodies). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface ApiHarness {
  env: TestEnvironment;
  config: ApiConfig;
  api: ApiServer;
  /** The test's own connections to the same database and Redis, for seeding and inspecting. */
  db: Database;
  redis: Redis;
  producer: JobProducer;
  keys: RedisKeys;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  createTenant(name?: string): Promise<TenantCreated>;
  createAccount(apiKey: string, provider?: Account['provider'], name?: string): Promise<Account>;
  /** Another app instance on the same database (and, unless overridden, the same Redis). */
  startSecondApi(overrides: Record<string, string>): Promise<ApiServer>;
  close(): Promise<void>;
}

export function apiConfigFor(env: TestEnvironment, mediaDir: string, overrides: Record<string, string> = {}): ApiConfig {
  return loadConfig(apiConfigSchema, {
    ...env.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_DIR: mediaDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...overrides,
  });
}

export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.json !== undefined) body = JSON.stringify(options.json);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
  return { status: res.status, headers: res.headers, body: isJson && text ? (JSON.parse(text) as unknown) : text };
}

/** One isolated environment (database, Redis prefix, media folder) and the real app on a free port. */
export async function startApiHarness(name: string, overrides: Record<string, string> = {}): Promise<ApiHarness> {
  const env = await createTestEnvironment(name);
  const mediaDir = await mkdtemp(join(tmpdir(), `${name}-media-`));
  const config = apiConfigFor(env, mediaDir, overrides);
  const logger = createLogger('api', config.LOG_LEVEL);
  const api = await startApi(config, { logger });
  const db = await openDatabase({ databaseUrl: env.databaseUrl, migrate: false, sessionKey: env.sessionKey, poolMax: 2 });
  const redis = createRedis(env.redisUrl, 'command', `${name}-test`);
  const producer = new JobProducer({ connection: redis, prefix: env.redisPrefix, partitions: config.PARTITIONS });
  const extra: ApiServer[] = [];

  const harness: ApiHarness = {
    env,
    config,
    api,
    db,
    redis,
    producer,
    keys: redisKeys(env.redisPrefix),
    request: (method, path, options) => request(api.url, method, path, options),
    async createTenant(tenantName = 'acme') {
      const res = await harness.request('POST', '/v1/tenants', { key: env.adminKey, json: { name: tenantName } });
      if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}`);
      return TenantCreated.parse(res.body);
    },
    async createAccount(apiKey, provider = 'sandbox', accountName = 'account') {
      const res = await harness.request('POST', '/v1/accounts', { key: apiKey, json: { provider, name: accountName } });
      if (res.status !== 201) throw new Error(`creating an account answered ${res.status}`);
      return Account.parse(res.body);
    },
    async startSecondApi(instanceOverrides) {
      const second = await startApi(apiConfigFor(env, mediaDir, { ...overrides, ...instanceOverrides }), { logger });
      extra.push(second);
      return second;
    },
    async close() {
      for (const server of extra) await server.close();
      await api.close();
      await producer.close();
      await db.close();
      redis.disconnect();
      await env.cleanup();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Asserts the error shape of docs/api.md and returns it (with the detail paths, for field checks). */
export function expectApiError(res: ApiResponse, status: number, code: ErrorBody['error']['code']): ErrorBody['error'] {
  const parsed = ErrorBody.safeParse(res.body);
  if (res.status !== status || !parsed.success || parsed.data.error.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return parsed.data.error;
}

export const detailPaths = (error: ErrorBody['error']) => (error.details ?? []).map((d) => d.path);
