import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';
import type { SandboxInbound } from './sandbox-events';

/** How the reader hands deliveries to the live client of an account. */
export interface SandboxReceiver {
  receive(items: readonly SandboxInbound[]): Promise<void>;
  readonly connected: boolean;
}

export interface SandboxInboundReaderOptions {
  /** A dedicated connection: XREAD BLOCK holds it. */
  blockingRedis: Redis;
  redis: Redis;
  keys: RedisKeys;
  receiverOf: (accountId: string) => SandboxReceiver | undefined;
  onError: (error: unknown) => void;
  blockMs?: number;
  batchSize?: number;
}

type XReadReply = [string, [string, string[]][]][] | null;

/**
 * The worker's end of the simulated network: reads the inbound streams of the partitions it
 * owns, from where the previous owner stopped, and hands each delivery to the account's live
 * client. What is not handed to a client is not lost: every event is in the account's history
 * too, which the next client catches up on from its cursor, as a real network holds messages
 * for offline phones.
 */
export class SandboxInboundReader {
  private readonly cursors = new Map<number, string>();
  private running = false;
  private loop: Promise<void> | null = null;
  private blockingClientId: number | null = null;
  /** Resolves the idle wait when the first partition arrives (or on stop). */
  private wakeIdle: (() => void) | null = null;

  constructor(private readonly options: SandboxInboundReaderOptions) {}

  async addPartition(partition: number): Promise<void> {
    const cursor = await this.options.redis.get(this.options.keys.sandbox.inboundCursor(partition));
    this.cursors.set(partition, cursor ?? '0-0');
    this.wakeIdle?.();
    await this.wake();
  }

  removePartition(partition: number): void {
    this.cursors.delete(partition);
  }

  /** Ends the current blocking read early, so a newly owned partition is read at once. */
  private async wake(): Promise<void> {
    if (this.blockingClientId === null) return;
    await this.options.redis.client('UNBLOCK', this.blockingClientId).catch(() => undefined);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeIdle?.();
    // Wake the blocked XREAD so the loop sees `running` at once.
    this.options.blockingRedis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { blockMs = 1_000, batchSize = 1_000 } = this.options;
    while (this.running) {
      if (this.blockingClientId === null) {
        this.blockingClientId = (await this.options.blockingRedis.client('ID').catch(() => null)) as number | null;
      }
      const partitions = [...this.cursors.keys()];
      if (partitions.length === 0) {
        await new Promise<void>((resolve) => (this.wakeIdle = resolve));
        this.wakeIdle = null;
        continue;
      }
      try {
        const reply = (await this.options.blockingRedis.xread(
          'COUNT',
          batchSize,
          'BLOCK',
          blockMs,
          'STREAMS',
          ...partitions.map((p) => this.options.keys.sandbox.inbound(p)),
          ...partitions.map((p) => this.cursors.get(p) as string),
        )) as XReadReply;
        if (!reply) continue;
        await Promise.all(reply.map(([key, entries]) => this.handle(key, entries)));
      } catch (error) {
        if (!this.running) return;
        // A dropped connection gets a new client id.
        this.blockingClientId = null;
        this.options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async handle(key: string, entries: [string, string[]][]): Promise<void> {
    const partition = Number(key.slice(key.lastIndexOf(':') + 1));
    if (!this.cursors.has(partition) || entries.length === 0) return;
    const byAccount = new Map<string, SandboxInbound[]>();
    for (const [, fields] of entries) {
      const item = JSON.parse(fields[1] as string) as SandboxInbound;
      // Events carry their id in the account's history: the client's catch-up cursor.
      if (fields[2] === 'h' && fields[3]) item.historyId = fields[3];
      const list = byAccount.get(item.accountId) ?? [];
      list.push(item);
      byAccount.set(item.accountId, list);
    }
    await Promise.all(
      [...byAccount].map(async ([accountId, items]) => {
        const receiver = this.options.receiverOf(accountId);
        if (receiver?.connected) return receiver.receive(items);
        // A scan needs a client waiting for it; events wait in the history for the next client.
        const scans = items.filter((i) => i.type === 'scan');
        if (receiver && scans.length > 0) await receiver.receive(scans);
      }),
    );
    const last = entries[entries.length - 1]?.[0] as string;
    if (!this.cursors.has(partition)) return;
    this.cursors.set(partition, last);
    await this.options.redis
      .pipeline()
      .set(this.options.keys.sandbox.inboundCursor(partition), last)
      .xtrim(key, 'MINID', '~', last)
      .exec();
  }
}
