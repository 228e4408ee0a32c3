import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';
import type { IncomingMessage, SessionSink } from '../messenger-session';
import { sandboxAccountPerson } from './sandbox-account';
import { streamIdAfter, messageTypeOfMime, type SandboxEvent, type SandboxMessageEvent } from './sandbox-events';
import type { SandboxHistory } from './sandbox-history';

export interface SandboxReporterOptions {
  accountId: string;
  redis: Redis;
  keys: RedisKeys;
  sink: SessionSink;
  history: SandboxHistory;
  /** True once the session stopped: nothing more is reported. */
  stopped: () => boolean;
  catchUpBatch?: number;
}

/**
 * Turns the network's events into sink calls, in their order, and keeps the catch-up cursor: it
 * moves past an event only once the sink resolved for it, and is reported after each batch. A
 * sink call that rejects stops the batch (the cursor stays before the event): `report` rethrows,
 * and the next catch-up fetches the event again from the history.
 */
export class SandboxReporter {
  /** The history id of the last event the sink stored; null: nothing yet (a catch-up starts at the history's start). */
  private cursor: string | null = null;
  private reportedCursor: string | null = null;

  constructor(private readonly options: SandboxReporterOptions) {}

  /** Where the client starts: the restored cursor, or (fresh login) the history's end. */
  startAt(cursor: string | null): void {
    this.cursor = cursor;
    this.reportedCursor = cursor;
  }

  /** Reports the cursor even when nothing moved it (a fresh login saves where it starts). */
  async saveCursor(): Promise<void> {
    if (this.cursor === null || this.options.stopped()) return;
    await this.options.sink.catchUpCursor(this.cursor);
    this.reportedCursor = this.cursor;
  }

  /** Everything in the history after the cursor, in batches, as ordinary events. */
  async catchUp(): Promise<void> {
    const batch = this.options.catchUpBatch ?? 500;
    for (;;) {
      if (this.options.stopped()) return;
      const events = await this.options.history.after(this.options.accountId, this.cursor, batch);
      if (events.length === 0) return;
      await this.report(events);
      if (events.length < batch) return;
    }
  }

  /** Reports events (live or caught up); those at or before the cursor were reported already. */
  async report(events: readonly (SandboxEvent & { historyId?: string })[]): Promise<void> {
    const fresh = events.filter((e) => !e.historyId || this.cursor === null || streamIdAfter(e.historyId, this.cursor));
    try {
      let messages: { message: IncomingMessage; historyId?: string }[] = [];
      const flush = async () => {
        if (messages.length === 0 || this.options.stopped()) return;
        const batch = messages;
        messages = [];
        await this.options.sink.messages(batch.map((m) => m.message));
        this.advance(batch[batch.length - 1]?.historyId);
      };
      for (const event of fresh) {
        if (this.options.stopped()) return;
        if (event.type === 'message') {
          messages.push({ message: this.incoming(event), historyId: event.historyId });
          continue;
        }
        await flush();
        if (this.options.stopped()) return;
        await this.action(event);
        this.advance(event.historyId);
      }
      await flush();
    } finally {
      // What was stored is saved as read, also when a later event of the batch failed.
      if (this.cursor !== null && this.cursor !== this.reportedCursor && !this.options.stopped()) {
        const cursor = this.cursor;
        await this.options.sink.catchUpCursor(cursor);
        this.reportedCursor = cursor;
      }
    }
  }

  private advance(historyId: string | undefined): void {
    if (historyId && (this.cursor === null || streamIdAfter(historyId, this.cursor))) this.cursor = historyId;
  }

  private async action(event: Exclude<SandboxEvent, SandboxMessageEvent>): Promise<void> {
    const { sink } = this.options;
    const at = new Date(event.at);
    switch (event.type) {
      case 'edit':
        return sink.edited({ chatId: event.chatId, externalId: event.externalId }, event.text, at);
      case 'revoke':
        return sink.revoked({ chatId: event.chatId, externalId: event.externalId }, at);
      case 'react':
        return sink.reacted(
          { chatId: event.chatId, externalId: event.externalId },
          { emoji: event.emoji, sender: { id: event.from, name: event.fromName, phone: event.fromPhone }, at },
        );
      case 'read':
        return sink.chatRead(event.chatId);
    }
  }

  private incoming(event: SandboxMessageEvent): IncomingMessage {
    const device = event.origin === 'device';
    const media = event.media ?? null;
    const mediaKey = media ? this.options.keys.sandbox.media(media.id) : null;
    return {
      externalId: event.externalId,
      chat: event.chat ?? { externalId: event.from, title: event.fromName ?? event.from, kind: 'private', phone: event.fromPhone ?? null },
      origin: device ? 'device' : 'contact',
      sender: device ? sandboxAccountPerson(this.options.accountId) : { id: event.from, name: event.fromName, phone: event.fromPhone ?? null },
      type: messageTypeOfMime(media?.mimeType ?? null),
      text: event.text,
      media:
        media && mediaKey
          ? {
              mimeType: media.mimeType,
              filename: media.filename,
              size: media.size,
              download: async () => {
                const bytes = await this.options.redis.getBuffer(mediaKey);
                if (!bytes) throw new Error('The sandbox network no longer has this media (it keeps media for a day).');
                return bytes;
              },
            }
          : null,
      replyTo: event.replyTo ?? null,
      forwarded: event.forwarded ?? false,
      sentAt: new Date(event.at),
    };
  }
}
