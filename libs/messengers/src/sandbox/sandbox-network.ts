import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SandboxIncomingBody, SandboxOutboxItem } from '@switchboard/contracts';
import { partitionOf, type RedisKeys } from '@switchboard/queue';
import { sandboxDevicesOf, type SandboxDevice } from './sandbox-clients';

/** What the simulated network delivers to an account: a phone scanning or logging out, or a contact writing. */
export type SandboxInbound =
  | { type: 'scan'; accountId: string }
  | { type: 'logout'; accountId: string }
  | {
      type: 'message';
      accountId: string;
      externalId: string;
      from: string;
      fromName: string | null;
      text: string;
      at: string;
    };

export interface SandboxNetworkOptions {
  redis: Redis;
  keys: RedisKeys;
  partitions: number;
}

/**
 * The simulated messenger network. It lives in Redis, outside every worker, so an API call
 * reaches whichever worker owns the account, as a real network would: deliveries go into the
 * account's partition stream (read by its owner, kept while nobody owns it), sends are recorded
 * in a per-account outbox, and a message for an offline account waits in its mailbox.
 */
export class SandboxNetwork {
  constructor(private readonly options: SandboxNetworkOptions) {}

  private inboundKey(accountId: string): string {
    return this.options.keys.sandbox.inbound(partitionOf(accountId, this.options.partitions));
  }

  async scan(accountId: string): Promise<void> {
    await this.deliver([{ type: 'scan', accountId }]);
  }

  async incoming(accountId: string, body: SandboxIncomingBody): Promise<string> {
    const externalId = `sbx-in-${randomUUID()}`;
    await this.deliver([
      {
        type: 'message',
        accountId,
        externalId,
        from: body.from,
        fromName: body.fromName ?? null,
        text: body.text,
        at: new Date().toISOString(),
      },
    ]);
    return externalId;
  }

  /** Appends deliveries to the partition streams in one round trip (the benchmark uses batches). */
  async deliver(items: readonly SandboxInbound[]): Promise<void> {
    const pipeline = this.options.redis.pipeline();
    for (const item of items) pipeline.xadd(this.inboundKey(item.accountId), '*', 'm', JSON.stringify(item));
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }

  async outbox(accountId: string): Promise<SandboxOutboxItem[]> {
    const raw = await this.options.redis.lrange(this.options.keys.sandbox.outbox(accountId), 0, -1);
    return raw.map((entry) => JSON.parse(entry) as SandboxOutboxItem);
  }

  /**
   * The phone removes the linked device (WhatsApp "log out of this device", Telegram "terminate
   * session"): the stored session stops working, and a connected client hears it at once.
   */
  async logoutFromPhone(accountId: string): Promise<void> {
    await this.options.redis.del(this.options.keys.sandbox.device(accountId));
    await this.deliver([{ type: 'logout', accountId }]);
  }

  /** The clients of the account connected now (at most one) and the conflicts counted so far. */
  devices(accountId: string): Promise<{ items: SandboxDevice[]; conflicts: number }> {
    return sandboxDevicesOf(this.options.redis, this.options.keys, accountId);
  }

  /** Ends the account's device session at the network (a logout): its client is disconnected. */
  async logout(accountId: string): Promise<void> {
    const k = this.options.keys.sandbox;
    await this.options.redis.del(k.device(accountId), k.client(accountId));
  }

  /** Forgets everything the network holds for an account (the account was deleted). */
  async forget(accountId: string): Promise<void> {
    const k = this.options.keys.sandbox;
    await this.options.redis.del(k.outbox(accountId), k.sentIndex(accountId), k.mailbox(accountId), k.device(accountId), k.client(accountId), k.conflicts(accountId));
  }
}
