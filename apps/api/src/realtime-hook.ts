import type { Server } from 'node:http';
import type { Histogram } from 'prom-client';
import type { ApiConfig, Logger } from '@switchboard/config';
import type { RedisKeys } from '@switchboard/queue';
import type { ApiKeyResolver } from './auth/api-key-resolver';
import type { AuthFailureLimiter } from './auth/auth-failure-limiter';
import type { ControlChannel } from './control/control-channel';

/** What the realtime (Socket.IO) module gets from the api when it attaches to the http server. */
export interface RealtimeDeps {
  config: ApiConfig;
  logger: Logger;
  /** Redis keys of this deployment (`events` is the stream; REDIS_URL is in `config`). */
  keys: RedisKeys;
  /** Tenant key → `{tenantId, keyId}` or null; the same cached resolution as HTTP auth. */
  apiKeys: ApiKeyResolver;
  /** `onKeyRevoked(keyId => …)`: disconnect the sockets of a revoked key. */
  control: ControlChannel;
  /** Failed authentications per client, shared with HTTP: a socket past the limit is refused with `rate_limited`. */
  authFailures?: Pick<AuthFailureLimiter, 'retryAfterMs' | 'recordFailure'>;
  /** Observes the age of each event read from the stream (seconds). */
  eventLag?: Pick<Histogram, 'observe'>;
}

export interface RealtimeHandle {
  /** Disconnects every socket and stops reading the stream; called before the http server closes. */
  close(): Promise<void>;
}

/** Attaches to the http server before it listens; the api closes the handle on shutdown. */
export type AttachRealtime = (server: Server, deps: RealtimeDeps) => RealtimeHandle | Promise<RealtimeHandle>;
