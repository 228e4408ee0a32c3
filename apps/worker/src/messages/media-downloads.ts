import { mediaUrlOf, type MediaRef } from '@switchboard/contracts';
import { toMessage, type Database } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { IncomingMedia, MediaStore } from '@switchboard/messengers';
import type { Logger } from '@switchboard/config';
import type { LiveAccount } from '../accounts/live-account';

interface Download {
  live: LiveAccount;
  messageId: string;
  media: IncomingMedia;
}

const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Downloads incoming media as it arrives (WhatsApp drops it from its servers after a few weeks)
 * into the media store, a few at a time. Media over `maxBytes` is kept as metadata (`too_large`);
 * a failed download is `failed` with its reason; either way the message is updated and
 * `message.updated` published, under the lease the message arrived with.
 */
export class MediaDownloads {
  private readonly queue: Download[] = [];
  private active = 0;

  constructor(
    private readonly deps: { db: Database; publisher: EventPublisher; store: MediaStore; maxBytes: number; concurrency: number; logger: Logger },
  ) {}

  /** The media as stored first: pending, or too large to download. */
  initial(media: IncomingMedia): MediaRef {
    const tooLarge = media.size !== null && media.size > this.deps.maxBytes;
    return {
      mimeType: media.mimeType,
      filename: media.filename,
      size: media.size,
      url: null,
      state: tooLarge ? 'too_large' : 'pending',
      ...(tooLarge ? { error: `larger than MEDIA_MAX_BYTES (${this.deps.maxBytes} bytes)` } : {}),
    };
  }

  schedule(live: LiveAccount, messageId: string, media: IncomingMedia): void {
    this.queue.push({ live, messageId, media });
    this.pump();
  }

  private pump(): void {
    while (this.active < this.deps.concurrency && this.queue.length > 0) {
      const next = this.queue.shift() as Download;
      this.active += 1;
      this.download(next)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, messageId: next.messageId }, 'media download could not be recorded'))
        .finally(() => {
          this.active -= 1;
          this.pump();
        });
    }
  }

  private async download({ live, messageId, media }: Download): Promise<void> {
    let result: MediaRef;
    try {
      const bytes = await media.download();
      if (bytes.length > this.deps.maxBytes) {
        result = { ...this.initial(media), size: bytes.length, state: 'too_large', error: `larger than MEDIA_MAX_BYTES (${this.deps.maxBytes} bytes)` };
      } else {
        const sha256 = await this.deps.store.put(bytes);
        result = { mimeType: media.mimeType, filename: media.filename, size: bytes.length, url: mediaUrlOf(sha256), state: 'ready' };
      }
    } catch (error) {
      result = { ...this.initial(media), state: 'failed', error: `The download failed: ${readable(error)}` };
    }
    if (live.fenced) return;
    const row = await this.deps.db.messages.applyChangeById(messageId, { kind: 'media', media: result }, live.token);
    if (row) await this.deps.publisher.publishOne('message.updated', live.ref.tenantId, live.ref.id, toMessage(row));
  }
}
