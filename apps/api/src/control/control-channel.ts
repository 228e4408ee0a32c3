import type { Redis } from 'ioredis';
import { z } from '@switchboard/contracts';
import type { Logger } from '@switchboard/config';

/** Messages between api instances over Redis pub/sub (fire-and-forget, not replayed). */
export const ControlMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('key.revoked'), keyId: z.string() })]);
export type ControlMessage = z.infer<typeof ControlMessage>;

export interface ControlChannelOptions {
  /** An ordinary command connection, for PUBLISH. */
  publisher: Redis;
  /** A connection of its own: SUBSCRIBE holds it. Its owner closes it. */
  subscriber: Redis;
  channel: string;
  logger: Logger;
}

/**
 * Every api instance subscribes; a revoked key is announced here so each instance drops it from
 * its auth cache and the realtime module disconnects that key's sockets.
 */
export class ControlChannel {
  private readonly keyRevokedListeners = new Set<(keyId: string) => void>();

  constructor(private readonly options: ControlChannelOptions) {}

  /** Subscribes in the background: an api whose Redis is down still starts (and answers 503). */
  start(): void {
    const { subscriber, channel, logger } = this.options;
    subscriber.on('message', (from: string, raw: string) => {
      if (from === channel) this.dispatch(raw);
    });
    subscriber.subscribe(channel).catch((error: unknown) => logger.warn({ err: error }, 'control channel: subscribe failed'));
  }

  onKeyRevoked(listener: (keyId: string) => void): () => void {
    this.keyRevokedListeners.add(listener);
    return () => this.keyRevokedListeners.delete(listener);
  }

  async publishKeyRevoked(keyId: string): Promise<void> {
    const message: ControlMessage = { type: 'key.revoked', keyId };
    await this.options.publisher.publish(this.options.channel, JSON.stringify(message));
  }

  private dispatch(raw: string): void {
    let message: ControlMessage;
    try {
      message = ControlMessage.parse(JSON.parse(raw));
    } catch {
      this.options.logger.warn('control channel: ignored a malformed message');
      return;
    }
    for (const listener of this.keyRevokedListeners) {
      try {
        listener(message.keyId);
      } catch (error) {
        this.options.logger.error({ err: error }, 'control channel: a key.revoked listener failed');
      }
    }
  }
}
