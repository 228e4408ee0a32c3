import type { Redis } from 'ioredis';
import type { Provider } from '@switchboard/contracts';
import type { RedisKeys } from '@switchboard/queue';
import type { MessengerSession, SessionSink } from './messenger-session';
import { SandboxRuntime } from './sandbox/sandbox-runtime';
import type { SandboxTimings } from './sandbox/sandbox-session';
import { UnavailableSession } from './unavailable-session';

/** Who runs a session: the worker and the lease (fencing token) it holds the account under. */
export interface SessionOwner {
  workerId: string;
  fence: string;
}

/**
 * The worker's one door to the messengers: it creates sessions and tells the messengers which
 * partitions this worker runs. The worker core knows nothing else of any messenger.
 */
export interface Messengers {
  create(provider: Provider, accountId: string, sink: SessionSink, owner: SessionOwner): MessengerSession;
  /** This worker now runs the partition (a messenger that reads per partition follows it). */
  partitionStarted(partition: number): Promise<void>;
  partitionStopped(partition: number): void;
  /** Ends a stored session at the provider when no client of it runs here (a logout). */
  logoutStored(provider: Provider, accountId: string): Promise<void>;
  /** The account was deleted: drop what the messenger keeps of it outside PostgreSQL. */
  forget(provider: Provider, accountId: string): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export interface MessengersOptions {
  redis: Redis;
  /** Makes a dedicated connection for a blocking reader (the sandbox inbound streams). */
  blockingRedis: () => Redis;
  keys: RedisKeys;
  partitions: number;
  sandboxEnabled: boolean;
  sandbox: SandboxTimings & { clientTtlMs: number };
  onError: (error: unknown) => void;
}

/** One place that knows which client runs which provider. */
export function createMessengers(options: MessengersOptions): Messengers {
  const sandbox = options.sandboxEnabled
    ? new SandboxRuntime({
        redis: options.redis,
        blockingRedis: options.blockingRedis(),
        keys: options.keys,
        partitions: options.partitions,
        timings: options.sandbox,
        clientTtlMs: options.sandbox.clientTtlMs,
        onError: options.onError,
      })
    : null;
  return {
    create(provider, accountId, sink, owner) {
      switch (provider) {
        case 'sandbox':
          if (!sandbox) return new UnavailableSession(provider, sink, 'The sandbox messenger is disabled (SANDBOX_ENABLED=false).');
          return sandbox.create(accountId, sink, owner);
        case 'whatsapp':
          return new UnavailableSession(provider, sink, 'WhatsApp sessions are not part of this build yet.');
        case 'telegram':
          return new UnavailableSession(provider, sink, 'Telegram sessions are not part of this build yet.');
      }
    },
    partitionStarted: async (partition) => sandbox?.partitionStarted(partition),
    partitionStopped: (partition) => sandbox?.partitionStopped(partition),
    logoutStored: async (provider, accountId) => {
      if (provider === 'sandbox') await sandbox?.logoutStored(accountId);
    },
    forget: async (provider, accountId) => {
      if (provider === 'sandbox') await sandbox?.forget(accountId);
    },
    start: () => sandbox?.start(),
    stop: async () => sandbox?.stop(),
  };
}
