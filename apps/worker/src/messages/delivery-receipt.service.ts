import type { DomainEvent } from '@switchboard/contracts';
import { TickBatcher, type Database, type MessageRow } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { LiveAccount } from '../accounts/live-account';

const HELD_TTL_MS = 60_000;
const RECEIPT_WINDOW_MS = 20;

type ReceiptStatus = 'delivered' | 'read';

interface Receipt {
  live: LiveAccount;
  externalId: string;
  status: ReceiptStatus;
}

/**
 * Applies delivery receipts (acks) and publishes `message.status`. Receipts arriving in the same
 * tick are written together (one statement per status). A receipt can overtake the write of its
 * own send (the provider acks before we stored the provider id): such a receipt is held briefly
 * and applied right after the send is stored.
 */
export class DeliveryReceiptService {
  // Receipts are not on anyone's critical path: gathering them for 20 ms turns a commit per
  // receipt into a commit per batch.
  private readonly batcher = new TickBatcher<Receipt, void>(
    async (batch) => {
      await this.write(batch);
      return batch.map(() => undefined);
    },
    1_000,
    () => 1,
    RECEIPT_WINDOW_MS,
  );
  private readonly held = new Map<string, { status: ReceiptStatus; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
  ) {}

  apply(live: LiveAccount, externalId: string, status: ReceiptStatus): Promise<void> {
    if (live.fenced) return Promise.resolve();
    return this.batcher.add({ live, externalId, status });
  }

  /** Called once a send is stored: applies receipts that arrived before it. */
  async replayHeld(live: LiveAccount, externalId: string): Promise<void> {
    const held = this.held.get(externalId);
    if (!held) return;
    this.held.delete(externalId);
    if (held.status === 'read') await this.apply(live, externalId, 'delivered');
    await this.apply(live, externalId, held.status);
  }

  private async write(batch: Receipt[]): Promise<void> {
    // `delivered` before `read`: a message acked twice in one batch still shows both.
    const changed = [
      ...(await this.advance(batch.filter((r) => r.status === 'delivered'), 'delivered')),
      ...(await this.advance(batch.filter((r) => r.status === 'read'), 'read')),
    ];
    const matched = new Set(changed.map((row) => `${row.accountId}\u0000${row.externalId}`));
    for (const r of batch) if (!matched.has(`${r.live.ref.id}\u0000${r.externalId}`)) this.hold(r.externalId, r.status);
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
      receipts.filter((r) => !r.live.fenced).map((r) => ({ accountId: r.live.ref.id, externalId: r.externalId })),
      status,
    );
  }

  /**
   * A receipt that matched nothing: its send may not be stored yet. Kept for a minute (a receipt
   * for a message sent elsewhere, or a stale duplicate, simply expires).
   */
  private hold(externalId: string, status: ReceiptStatus): void {
    const now = Date.now();
    const prev = this.held.get(externalId);
    if (!prev || status === 'read') this.held.set(externalId, { status, at: now });
    if (this.held.size > 1_000) for (const [id, entry] of this.held) if (now - entry.at > HELD_TTL_MS) this.held.delete(id);
  }
}
