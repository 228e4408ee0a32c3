import { TickBatcher, toChat, type Database } from '@switchboard/db';
import type { DomainEvent } from '@switchboard/contracts';
import type { EventPublisher } from '@switchboard/events';
import type { OutgoingMedia } from '@switchboard/messengers';
import { DONE, PermanentJobError, waitFor, type JobOutcome } from '../jobs/job-errors';
import type { LiveAccount } from '../accounts/live-account';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import type { DeliveryReceiptService } from './delivery-receipt.service';
import type { SendPacer } from './send-pacer';

/** How long a send waits for its account to (re)connect before it fails. */
const MAX_WAIT_FOR_CONNECTION_MS = 24 * 3600_000;
const RECHECK_CONNECTION_MS = 250;

export interface MediaReader {
  read(url: string): Promise<Buffer>;
}

export interface LeaseCheck {
  validToken(partition: number): string | null;
}

interface SentRecord {
  live: LiveAccount;
  messageId: string;
  externalId: string;
  sentAt: Date;
}

export class SendMessageService {
  /** Sends in flight at once read their messages in one query and record their results in one. */
  private readonly loader: TickBatcher<string, Awaited<ReturnType<Database['messages']['findManyForSend']>>[number]>;
  private readonly recorder: TickBatcher<SentRecord, boolean>;

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
    private readonly supervisor: SessionSupervisor,
    private readonly pacer: SendPacer,
    private readonly receipts: DeliveryReceiptService,
    private readonly lease: LeaseCheck,
    private readonly media: MediaReader | null,
  ) {
    this.loader = new TickBatcher((ids) => this.db.messages.findManyForSend(ids));
    this.recorder = new TickBatcher((records) => this.recordSent(records));
  }

  async send(accountId: string, messageId: string): Promise<JobOutcome> {
    const found = await this.loader.add(messageId);
    // Idempotent: a message already sent, failed or deleted needs nothing more.
    if (!found || found.message.status !== 'queued') return DONE;
    const { message, chat } = found;

    const live = this.supervisor.get(accountId);
    if (!live || !live.session.connected) {
      const account = await this.db.accounts.findById(accountId);
      if (!account) throw new PermanentJobError('The account was deleted.');
      if (account.desiredState === 'disconnected') throw new PermanentJobError('The account is disconnected; connect it, then send again.');
      if (account.status === 'failed' || account.status === 'logged_out') {
        throw new PermanentJobError(`The account cannot send: ${account.statusReason ?? account.status}.`);
      }
      if (Date.now() - message.createdAt.getTime() > MAX_WAIT_FOR_CONNECTION_MS) {
        throw new PermanentJobError('The account did not connect within a day; the message was not sent.');
      }
      return waitFor(RECHECK_CONNECTION_MS, 'account not connected yet');
    }

    const wait = this.pacer.reserve(accountId, messageId);
    if (wait > 0) return waitFor(wait, 'account send pace');

    // Fencing: never touch the provider on a lease we can no longer be sure of.
    if (live.fenced || this.lease.validToken(live.ref.partition) !== live.token) {
      throw new Error('The partition lease was lost; the new owner will send this message.');
    }
    const media: OutgoingMedia | null =
      message.media && this.media
        ? { mimeType: message.media.mimeType, filename: message.media.filename, data: await this.media.read(message.media.url) }
        : null;

    const result = await live.session.send({ clientMessageId: message.id, to: chat.externalId, text: message.text, media });
    const recorded = await this.recorder.add({ live, messageId, externalId: result.externalId, sentAt: result.sentAt });
    if (recorded) await this.receipts.replayHeld(live, result.externalId);
    return DONE;
  }

  /** Stores a batch of sends as `sent` (one statement), then publishes their events (one pipeline). */
  private async recordSent(records: SentRecord[]): Promise<boolean[]> {
    const { messages, chats } = await this.db.messages.markManySent(
      records.map((r) => ({ id: r.messageId, externalId: r.externalId, sentAt: r.sentAt })),
    );
    const tenantOf = new Map(records.map((r) => [r.live.ref.id, r.live.ref.tenantId]));
    const at = new Date().toISOString();
    const events: DomainEvent[] = [
      ...messages.map((m) => ({
        kind: 'message.status' as const,
        tenantId: tenantOf.get(m.accountId) as string,
        accountId: m.accountId,
        at,
        data: { messageId: m.id, status: 'sent' as const, externalId: m.externalId, error: null },
      })),
      ...chats.map((c) => ({ kind: 'chat.updated' as const, tenantId: tenantOf.get(c.accountId) as string, accountId: c.accountId, at, data: toChat(c) })),
    ];
    await this.publisher.publish(events);
    const stored = new Set(messages.map((m) => m.id));
    return records.map((r) => stored.has(r.messageId));
  }

  /** The final failure of a send: the message becomes `failed` with a reason a person can read. */
  async fail(accountId: string, messageId: string, reason: string): Promise<void> {
    const row = await this.db.messages.markFailed(messageId, reason);
    if (!row) return;
    const account = await this.db.accounts.findById(accountId);
    if (!account) return;
    await this.publisher.publishOne('message.status', account.tenantId, accountId, {
      messageId,
      status: 'failed',
      externalId: null,
      error: reason,
    });
  }
}
