import type { Redis } from 'ioredis';
import type { Provider } from '@switchboard/contracts';
import type { RedisKeys } from '@switchboard/queue';
import type { MessengerSession, SessionSink } from './messenger-session';
import { SandboxSession, type SandboxTimings } from './sandbox/sandbox-session';
import { UnavailableSession } from './unavailable-session';

export interface MessengerFactoryOptions {
  redis: Redis;
  keys: RedisKeys;
  sandboxEnabled: boolean;
  sandbox: SandboxTimings;
  onError: (error: unknown) => void;
}

/** Who runs a session: the worker and the lease (fencing token) it holds the account under. */
export interface SessionOwner {
  workerId: string;
  fence: string;
}

export type MessengerFactory = (provider: Provider, accountId: string, sink: SessionSink, owner: SessionOwner) => MessengerSession;

/** One place that knows which client runs which provider. */
export function createMessengerFactory(options: MessengerFactoryOptions): MessengerFactory {
  return (provider, accountId, sink, owner) => {
    switch (provider) {
      case 'sandbox':
        if (!options.sandboxEnabled) return new UnavailableSession(provider, sink, 'The sandbox messenger is disabled (SANDBOX_ENABLED=false).');
        return new SandboxSession({ accountId, owner, redis: options.redis, keys: options.keys, sink, timings: options.sandbox, onError: options.onError });
      case 'whatsapp':
        return new UnavailableSession(provider, sink, 'WhatsApp sessions are not part of this build yet.');
      case 'telegram':
        return new UnavailableSession(provider, sink, 'Telegram sessions are not part of this build yet.');
    }
  };
}
