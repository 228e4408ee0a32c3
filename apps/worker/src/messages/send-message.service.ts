import { TickBatcher, toChat, toMessage, type ChatRow, type Database, type MessageRow } from '@switchboard/db';
import type { DomainEvent, MessageStatus } from '@switchboard/contracts';
import type { EventPublisher } from '@switchboard/events';
import { NotConnectedError, type OutgoingMedia, type OutgoingMessage, type ResolvedAddress, type SendResult } from '@switchboard/messengers';
import { DONE, PermanentJobError, waitFor, type JobOutcome } from '../jobs/job-errors';
import { waitForConnection } from './connection-wait';
import type { LiveAccount } from '../accounts/live-account';
import { LeaseLostError } from '../ownership/lease-lost-error';
import type { AccountActor } from '../sessions/account-actor';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import type { DeliveryReceiptService } from './delivery-receipt.service';
import type { SendPacer } from './send-pacer';

export interface MediaReader {
  read(url: string): Promise<Buffer>;
}

/** Called right after the provider accepted a send, before it is stored (fault injection in tests). */
export type AfterProviderSend = (message: OutgoingMessage) => void;

export interface SendMessageServiceDeps {
  db: Database;
  publisher: EventPublisher;
  supervisor: SessionSupervisor;
  pacer: SendPacer;
  receipts: DeliveryReceiptService;
  media: MediaReader | null;
  /** How long a send waits for its account to connect, counted from when it was queued. */
  waitForConnectionMs: number;
  afterProviderSend?: AfterProviderSend;
}

interface SentRecord {
  live: LiveAccount;
  messageId: string;
  result: SendResult;
}

const UNSENT: readonly MessageStatus[] = ['queued', 'sending'];

/**
 * Sends a queued message exactly once, without help from the provider: the message is marked
 * `sending` under the owner's lease before it reaches the provider, so a retry or a new owner
 * that finds it `sending` (its outcome unknown: a crash, a timeout) asks the session whether it
 * went out before sending again. Sends in flight share their reads and writes (one statement
 * per tick for each step).
 */
export class SendMessageService {
  private readonly loader: TickBatcher<string, Awaited<ReturnType<Database['messages']['findManyForSend']>>[number]>;
  private readonly marker: TickBatcher<{ live: LiveAccount; id: string }, boolean>;
  private readonly recorder: TickBatcher<SentRecord, boolean>;
  /** Addresses this worker already resolved and adopted: (account, address) → canonical chat id. */
  private readonly adopted = new Map<string, string>();

  constructor(private readonly deps: SendMessageServiceDeps) {
    this.loader = new TickBatcher((ids) => deps.db.messages.findManyForSend(ids));
    this.marker = new TickBatcher((items) => this.markSending(items));
    this.recorder = new TickBatcher((records) => this.recordSent(records));
  }

  async send(accountId: string, messageId: string): Promise<JobOutcome> {
    const found = await this.loader.add(messageId);
    // Idempotent: a message already sent, failed or deleted needs nothing more.
    if (!found || !UNSENT.includes(found.message.status)) return DONE;
    const { message, chat, replyToExternalId } = found;

    const actor = this.deps.supervisor.get(accountId);
    if (!actor?.connected) return this.waitForConnection(accountId, message);
    const wait = this.deps.pacer.reserve(accountId, messageId);
    if (wait > 0) return waitFor(wait, 'account send pace');

    const mediaUrl = message.media?.url;
    const media: OutgoingMedia | null =
      message.media && mediaUrl && this.deps.media
        ? { mimeType: message.media.mimeType, filename: message.media.filename, data: await this.deps.media.read(mediaUrl) }
        : null;
    let result: SendResult;
    let outgoing: OutgoingMessage;
    try {
      const to = await this.canonicalChat(actor, chat, message.accountId);
      outgoing = { clientMessageId: message.id, to, text: message.text, media, replyTo: replyToExternalId };
      // Sent before, outcome unknown: the provider knows whether it went out.
      const earlier = message.status === 'sending' ? await actor.findSent(outgoing) : null;
      result = earlier ?? (await this.deliver(actor, outgoing));
    } catch (error) {
      if (error instanceof NotConnectedError) return this.waitForConnection(accountId, message);
      throw error;
    }
    const recorded = await this.recorder.add({ live: actor, messageId, result });
    if (recorded) await this.deps.receipts.replayHeld(actor, { chatId: outgoing.to, externalId: result.externalId });
    return DONE;
  }

  /**
   * The provider's canonical chat of the address the chat was opened with (one person, one
   * chat): the first time, the provider resolves it, and a chat opened under another address
   * (a phone, `@name`) is merged into the person's chat, its messages moved there.
   */
  private async canonicalChat(actor: AccountActor, chat: { id: string; externalId: string }, accountId: string): Promise<string> {
    const key = `${accountId}\u0000${chat.externalId}`;
    const known = this.adopted.get(key);
    if (known) return known;
    const resolved: ResolvedAddress | null = await actor.resolve(chat.externalId);
    if (!resolved) throw new PermanentJobError(`No one on the network has the address "${chat.externalId}": the message cannot be delivered.`);
    const row = await this.deps.db.chats.findForAccount(accountId, chat.id);
    if (row && (resolved.chatId !== row.externalId || (resolved.phone && resolved.phone !== row.phone))) {
      const adopted = await this.deps.db.chats.adopt(row, { externalId: resolved.chatId, kind: resolved.kind, title: resolved.title, phone: resolved.phone }, actor.token);
      if (!adopted) throw new LeaseLostError('The chat could not be adopted under this lease.');
      const at = new Date().toISOString();
      await this.deps.publisher.publish([
        { kind: 'chat.updated' as const, tenantId: actor.ref.tenantId, accountId, at, data: toChat(adopted.chat) },
        ...adopted.moved.map((m) => ({ kind: 'message.updated' as const, tenantId: actor.ref.tenantId, accountId, at, data: toMessage(m) })),
      ]);
    }
    if (this.adopted.size > 50_000) this.adopted.clear();
    this.adopted.set(key, resolved.chatId);
    return resolved.chatId;
  }

  private async deliver(actor: AccountActor, outgoing: OutgoingMessage): Promise<SendResult> {
    if (!(await this.marker.add({ live: actor, id: outgoing.clientMessageId }))) {
      throw new LeaseLostError('The send was refused by the fence (a newer owner claimed the account, or the message changed).');
    }
    const result = await actor.send(outgoing);
    this.deps.afterProviderSend?.(outgoing);
    return result;
  }

  private waitForConnection(accountId: string, message: MessageRow): Promise<JobOutcome> {
    return waitForConnection({ db: this.deps.db, supervisor: this.deps.supervisor, limitMs: this.deps.waitForConnectionMs }, accountId, message.createdAt.getTime(), 'send');
  }

  /** queued → sending for a batch (one statement), then their events (one pipeline). */
  private async markSending(items: { live: LiveAccount; id: string }[]): Promise<boolean[]> {
    const rows = await this.deps.db.messages.markManySending(items.map((i) => ({ id: i.id, fence: i.live.token })));
    await this.publishStatuses(items, rows, 'sending');
    const marked = new Set(rows.map((r) => r.id));
    return items.map((i) => marked.has(i.id));
  }

  /** Stores a batch of sends as `sent` (one statement), then publishes their events (one pipeline). */
  private async recordSent(records: SentRecord[]): Promise<boolean[]> {
    const { messages, chats } = await this.deps.db.messages.markManySent(
      records.map((r) => ({ id: r.messageId, externalId: r.result.externalId, sentAt: r.result.sentAt, fence: r.live.token })),
    );
    await this.publishStatuses(records, messages, 'sent', chats);
    const stored = new Set(messages.map((m) => m.id));
    return records.map((r) => stored.has(r.messageId));
  }

  /** The status events of these messages, and the chats they moved, in one pipeline. */
  private async publishStatuses(items: { live: LiveAccount }[], rows: MessageRow[], status: 'sending' | 'sent', chats: ChatRow[] = []): Promise<void> {
    const tenantOf = new Map(items.map((i) => [i.live.ref.id, i.live.ref.tenantId]));
    const at = new Date().toISOString();
    const events: DomainEvent[] = rows.map((m) => ({
      kind: 'message.status' as const,
      tenantId: tenantOf.get(m.accountId) as string,
      accountId: m.accountId,
      at,
      data: { messageId: m.id, status, externalId: m.externalId, error: null },
    }));
    const chatEvents: DomainEvent[] = chats.map((c) => ({ kind: 'chat.updated', tenantId: tenantOf.get(c.accountId) as string, accountId: c.accountId, at, data: toChat(c) }));
    await this.deps.publisher.publish([...events, ...chatEvents]);
  }

  /** The final failure of a send: the message becomes `failed` with a reason a person can read. */
  async fail(accountId: string, messageId: string, reason: string, token: string): Promise<void> {
    const row = await this.deps.db.messages.markFailed(messageId, reason, token);
    if (!row) return;
    const account = await this.deps.db.accounts.findById(accountId);
    if (!account) return;
    await this.deps.publisher.publishOne('message.status', account.tenantId, accountId, {
      messageId,
      status: 'failed',
      externalId: null,
      error: reason,
    });
  }
}
