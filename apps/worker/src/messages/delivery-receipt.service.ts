import type { DomainEvent } from '@switchboard/contracts';
import { TickBatcher, type Database, type MessageRow } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { ReceiptRef } from '@switchboard/messengers';
import type { LiveAccount } from '../accounts/live-account';

const HELD_TTL_MS = 60_000;
const RECEIPT_WINDOW_MS = 20;

type ReceiptStatus = 'delivered' | 'read';

interface Receipt {
  live: LiveAccount;
  ref: ReceiptRef;
  status: ReceiptStatus;
}

/** Provider ids repeat across accounts and chats: a receipt is known by all three. */
const keyOf = (accountId: string, ref: ReceiptRef) => `${accountId}\u0000${ref.chatId}\u0000${ref.externalId}`;

/**
 * Applies delivery receipts (acks) and publishes `message.status`. Receipts arriving in the same
 * tick are written together (one statement per status), fenced by each writer's lease. A receipt
 * can overtake the write of its own send (the provider acks before we stored the provider id):
 * such a receipt is held briefly and applied right after the send is stored.
 */
export class DeliveryReceiptService {
  // Receipts are not on anyone's critical path: gathering them for 20 ms turns a commit per
  // receipt into a commit per batch.
  private readonly batcher = new TickBatcher<Receipt, void>(
    async (batch) => {
      await this.write(batch);
      return batch.map(() => undefined);
    },
    { windowMs: RECEIPT_WINDOW_MS },
  );
  private readonly held = new Map<string, { status: ReceiptStatus; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
  ) {}

  apply(live: LiveAccount, ref: ReceiptRef, status: ReceiptStatus): Promise<void> {
    if (live.fenced) return Promise.resolve();
    return this.batcher.add({ live, ref, status });
  }

  /** Called once a send is stored: applies receipts that arrived before it. */
  async replayHeld(live: LiveAccount, ref: ReceiptRef): Promise<void> {
    const key = keyOf(live.ref.id, ref);
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    if (held.status === 'read') await this.apply(live, ref, 'delivered');
    await this.apply(live, ref, held.status);
  }

  private async write(batch: Receipt[]): Promise<void> {
    // `delivered` before `read`: a message acked twice in one batch still shows both.
    const changed = [
      ...(await this.advance(batch.filter((r) => r.status === 'delivered'), 'delivered')),
      ...(await this.advance(batch.filter((r) => r.status === 'read'), 'read')),
    ];
    // A changed row carries our chat id, not the provider's: (account, provider id) tells which
    // receipts found their message (a provider id repeated in two chats of one batch is rare,
    // and costs no more than a receipt not held).
    const matched = new Set(changed.map((row) => `${row.accountId}\u0000${row.externalId}`));
    for (const r of batch) {
      if (!r.live.fenced && !matched.has(`${r.live.ref.id}\u0000${r.ref.externalId}`)) this.hold(keyOf(r.live.ref.id, r.ref), r.status);
    }
    const tenantOf = new Map(batch.map((r) => [r.live.ref.id, r.live.ref.tenantId]));
    const at = new Date().toISOString();
    const events: DomainEvent[] = changed.map((row) => ({
      kind: 'message.status',
      tenantId: tenantOf.get(row.accountId) as string,
      accountId: row.accountId,
      at,
      data: { messageId: row.id, status: row.status, externalId: row.externalId, error: null },
    }));
    await this.publisher.publish(events);
  }

  private advance(receipts: Receipt[], status: ReceiptStatus): Promise<MessageRow[]> {
    return this.db.messages.advanceStatuses(
      receipts
        .filter((r) => !r.live.fenced)
        .map((r) => ({ accountId: r.live.ref.id, chatExternalId: r.ref.chatId, externalId: r.ref.externalId, fence: r.live.token })),
      status,
    );
  }

  /**
   * A receipt that matched nothing: its send may not be stored yet. Kept for a minute (a receipt
   * for a message sent elsewhere, or a stale duplicate, simply expires).
   */
  private hold(key: string, status: ReceiptStatus): void {
    const now = Date.now();
    const prev = this.held.get(key);
    if (!prev || status === 'read') this.held.set(key, { status, at: now });
    if (this.held.size > 1_000) for (const [id, entry] of this.held) if (now - entry.at > HELD_TTL_MS) this.held.delete(id);
  }
}
