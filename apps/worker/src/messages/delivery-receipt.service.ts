import type { Database } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import type { LiveAccount } from '../accounts/live-account';

const UNMATCHED_TTL_MS = 60_000;

/**
 * Applies delivery receipts (acks) and publishes `message.status`. A receipt can overtake the
 * write of its own send (the provider acks before we stored the provider id): such a receipt is
 * held briefly and applied right after the send is stored.
 */
export class DeliveryReceiptService {
  private readonly unmatched = new Map<string, { status: 'delivered' | 'read'; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
  ) {}

  async apply(live: LiveAccount, externalId: string, status: 'delivered' | 'read'): Promise<void> {
    if (live.fenced) return;
    const row = await this.db.messages.advanceStatusByExternalId(live.ref.id, externalId, status);
    if (row) {
      await this.publisher.publishOne('message.status', live.ref.tenantId, live.ref.id, {
        messageId: row.id,
        status,
        externalId,
        error: null,
      });
      return;
    }
    const known = await this.db.knex('message').where({ account_id: live.ref.id, external_id: externalId }).first('id');
    if (!known) this.hold(externalId, status);
  }

  /** Called once a send is stored: applies receipts that arrived before it. */
  async replayHeld(live: LiveAccount, externalId: string): Promise<void> {
    const held = this.unmatched.get(externalId);
    if (!held) return;
    this.unmatched.delete(externalId);
    if (held.status === 'read') await this.apply(live, externalId, 'delivered');
    await this.apply(live, externalId, held.status);
  }

  private hold(externalId: string, status: 'delivered' | 'read'): void {
    const now = Date.now();
    const prev = this.unmatched.get(externalId);
    if (!prev || status === 'read') this.unmatched.set(externalId, { status, at: now });
    for (const [id, entry] of this.unmatched) if (now - entry.at > UNMATCHED_TTL_MS) this.unmatched.delete(id);
  }
}
