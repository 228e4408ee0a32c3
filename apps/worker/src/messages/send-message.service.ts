import type { Database } from '@switchboard/db';
import { toChat } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { OutgoingMedia } from '@switchboard/messengers';
import { DONE, PermanentJobError, waitFor, type JobOutcome } from '../jobs/job-errors';
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

export class SendMessageService {
  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
    private readonly supervisor: SessionSupervisor,
    private readonly pacer: SendPacer,
    private readonly receipts: DeliveryReceiptService,
    private readonly lease: LeaseCheck,
    private readonly media: MediaReader | null,
  ) {}

  async send(accountId: string, messageId: string): Promise<JobOutcome> {
    const found = await this.db.messages.findForSend(messageId);
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
    const sent = await this.db.messages.markSentWithChat(message.id, result.externalId, result.sentAt);
    if (!sent) return DONE;
    const at = new Date().toISOString();
    await this.publisher.publish([
      { kind: 'message.status', tenantId: live.ref.tenantId, accountId, at, data: { messageId, status: 'sent', externalId: result.externalId, error: null } },
      { kind: 'chat.updated', tenantId: live.ref.tenantId, accountId, at, data: toChat(sent.chat) },
    ]);
    await this.receipts.replayHeld(live, result.externalId);
    return DONE;
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
