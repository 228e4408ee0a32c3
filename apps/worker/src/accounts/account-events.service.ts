import QRCode from 'qrcode';
import type { AccountStatus, Profile } from '@switchboard/contracts';
import type { Database } from '@switchboard/db';
import type { EventPublisher, QrStore } from '@switchboard/events';
import type { AccountRef, LiveAccount } from './live-account';

/**
 * Saves what a session reports about its account, then publishes it. Every write carries the
 * lease's fencing token, so a stale owner's late write is refused by PostgreSQL and not published.
 */
export class AccountEventsService {
  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
    private readonly qrStore: QrStore,
  ) {}

  async status(live: LiveAccount, status: AccountStatus, reason: string | null): Promise<void> {
    if (live.fenced) return;
    live.lastStatus = status;
    await this.statusOf(live.ref, live.token, status, reason);
  }

  /** A status for an account with no live session here (it was stopped), under the lease `token`. */
  async statusOf(ref: AccountRef, token: string, status: AccountStatus, reason: string | null): Promise<void> {
    const row = await this.db.accounts.setStatus(ref.id, status, reason, token);
    if (!row) return;
    if (status !== 'qr' && status !== 'pairing_code') await this.qrStore.clear(ref.id);
    await this.publisher.publishOne('account.status', ref.tenantId, ref.id, { status, reason });
  }

  async qr(live: LiveAccount, qr: string, expiresAt: Date): Promise<void> {
    if (live.fenced) return;
    const code = { qr, dataUrl: await QRCode.toDataURL(qr), expiresAt: expiresAt.toISOString() };
    await this.qrStore.put(live.ref.id, code);
    await this.publisher.publishOne('account.qr', live.ref.tenantId, live.ref.id, code);
  }

  async pairingCode(live: LiveAccount, code: string, expiresAt: Date): Promise<void> {
    if (live.fenced) return;
    await this.publisher.publishOne('account.pairing_code', live.ref.tenantId, live.ref.id, { code, expiresAt: expiresAt.toISOString() });
  }

  async loginRequired(live: LiveAccount, step: 'code' | 'password', hint?: string): Promise<void> {
    if (live.fenced) return;
    await this.publisher.publishOne('account.login_required', live.ref.tenantId, live.ref.id, hint ? { step, hint } : { step });
  }

  async profile(live: LiveAccount, profile: Profile): Promise<void> {
    if (live.fenced) return;
    await this.db.accounts.setProfile(live.ref.id, profile, live.token);
  }

  async sessionSaved(live: LiveAccount, session: Buffer): Promise<void> {
    if (live.fenced) return;
    await this.db.sessions.save(live.ref.id, session, live.token);
  }

  async sessionDeleted(live: LiveAccount): Promise<void> {
    if (live.fenced) return;
    await this.db.sessions.delete(live.ref.id);
  }
}
