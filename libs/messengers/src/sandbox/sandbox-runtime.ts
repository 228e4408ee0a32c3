import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';
import type { SessionOwner } from '../messenger-runtime';
import type { SessionSink } from '../messenger-session';
import { SandboxClients } from './sandbox-clients';
import { SandboxInboundReader } from './sandbox-inbound-reader';
import { SandboxNetwork } from './sandbox-network';
import { SandboxSession, type SandboxTimings } from './sandbox-session';

export interface SandboxRuntimeOptions {
  redis: Redis;
  /** A dedicated connection for the inbound reader's blocking reads. */
  blockingRedis: Redis;
  keys: RedisKeys;
  partitions: number;
  timings: SandboxTimings;
  /** How long a client stays connected without a heartbeat (SANDBOX_CLIENT_TTL_MS). */
  clientTtlMs: number;
  onError: (error: unknown) => void;
}

/**
 * Everything of the simulated messenger that lives in a worker: its clients (one per account,
 * with a heartbeat), the reader of the network's inbound streams for the partitions this worker
 * runs, and the sessions those deliveries go to.
 */
export class SandboxRuntime {
  private readonly sessions = new Map<string, SandboxSession>();
  private readonly clients: SandboxClients;
  private readonly reader: SandboxInboundReader;
  private readonly network: SandboxNetwork;

  constructor(private readonly options: SandboxRuntimeOptions) {
    this.clients = new SandboxClients(options.redis, options.keys, options.clientTtlMs, options.onError);
    this.network = new SandboxNetwork({ redis: options.redis, keys: options.keys, partitions: options.partitions });
    this.reader = new SandboxInboundReader({
      blockingRedis: options.blockingRedis,
      redis: options.redis,
      keys: options.keys,
      receiverOf: (accountId) => this.sessions.get(accountId),
      onError: options.onError,
    });
  }

  create(accountId: string, sink: SessionSink, owner: SessionOwner): SandboxSession {
    const session = new SandboxSession({
      accountId,
      owner,
      redis: this.options.redis,
      keys: this.options.keys,
      sink,
      timings: this.options.timings,
      clients: this.clients,
      onError: this.options.onError,
      onStopped: () => {
        if (this.sessions.get(accountId) === session) this.sessions.delete(accountId);
      },
    });
    this.sessions.set(accountId, session);
    return session;
  }

  partitionStarted(partition: number): Promise<void> {
    return this.reader.addPartition(partition);
  }

  partitionStopped(partition: number): void {
    this.reader.removePartition(partition);
  }

  logoutStored(accountId: string): Promise<void> {
    return this.network.logout(accountId);
  }

  forget(accountId: string): Promise<void> {
    return this.network.forget(accountId);
  }

  start(): void {
    this.reader.start();
  }

  async stop(): Promise<void> {
    this.clients.stop();
    await this.reader.stop();
  }
}
