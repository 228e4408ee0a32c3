/**
 * Per-account outbound pace: a token bucket (GCRA form) with reservations. A send that must
 * wait gets a slot in the future and keeps it, so waiting sends leave in the order they came.
 */
export class SendPacer {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  /** Theoretical arrival time per account (GCRA). */
  private readonly tat = new Map<string, number>();
  private readonly reservations = new Map<string, number>();

  constructor(
    ratePerSecond: number,
    burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Milliseconds the send must wait; 0 means send now (and the slot is used). */
  reserve(accountId: string, sendId: string): number {
    const now = this.now();
    const reserved = this.reservations.get(sendId);
    if (reserved !== undefined) {
      if (reserved <= now) {
        this.reservations.delete(sendId);
        return 0;
      }
      return reserved - now;
    }
    const tat = Math.max(this.tat.get(accountId) ?? now, now);
    const slot = Math.max(now, tat - this.toleranceMs);
    this.tat.set(accountId, tat + this.intervalMs);
    if (slot <= now) return 0;
    this.reservations.set(sendId, slot);
    return slot - now;
  }

  /** Forgets an account (its partition moved away). */
  forget(accountId: string): void {
    this.tat.delete(accountId);
  }
}
