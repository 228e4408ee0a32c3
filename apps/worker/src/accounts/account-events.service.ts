import QRCode from 'qrcode';
import type { AccountStatus, EventMap, Profile } from '@switchboard/contracts';
import type { Database } from '@switchboard/db';
import type { EventPublisher, QrStore } from '@switchboard/events';
import type { Logger } from '@switchboard/config';
import type { LiveAccount } from './live-account';

/**
 * Saves what a session reports about its account, then publishes it. Every write is fenced:
 * PostgreSQL compares the lease's token in the statement, Redis the lease itself in a script.
 * A refused write (a stale owner's late report) is logged and nothing is published.
 */
export class AccountEventsService {
  constructor(
    private readonly db: Database,
    private readonly publisher: EventPublisher,
    private readonly qrStore: QrStore,
    private readonly logger: Logger,
    /** Test-only fault injection (FAULT_INJECTION=stop-before-session-delete). */
    private readonly beforeSessionDelete?: () => void,
  ) {}

  /** Saves and publishes a status; false when the write was refused (the lease moved on). */
  async status(live: LiveAccount, status: AccountStatus, reason: string | null): Promise<boolean> {
    if (live.fenced) return this.refused(live, `status ${status}`);
    const row = await this.db.accounts.setStatus(live.ref.id, status, reason, live.token);
    if (!row) return this.refused(live, `status ${status}`);
    if (status !== 'qr' && status !== 'pairing_code') await this.qrStore.clear(live.ref.id, live.redisFence);
    await this.publisher.publishOne('account.status', live.ref.tenantId, live.ref.id, { status, reason });
    return true;
  }

  async qr(live: LiveAccount, qr: string, expiresAt: Date): Promise<void> {
    if (live.fenced) return void this.refused(live, 'qr');
    const code = { qr, dataUrl: await QRCode.toDataURL(qr), expiresAt: expiresAt.toISOString() };
    if (!(await this.qrStore.put(live.ref.id, code, live.redisFence))) return void this.refused(live, 'qr');
    await this.publishFenced(live, 'account.qr', code);
  }

  async pairingCode(live: LiveAccount, code: string, expiresAt: Date): Promise<void> {
    await this.publishFenced(live, 'account.pairing_code', { code, expiresAt: expiresAt.toISOString() });
  }

  async loginRequired(live: LiveAccount, step: 'code' | 'password', hint?: string): Promise<void> {
    await this.publishFenced(live, 'account.login_required', hint ? { step, hint } : { step });
  }

  async profile(live: LiveAccount, profile: Profile): Promise<void> {
    if (live.fenced || !(await this.db.accounts.setProfile(live.ref.id, profile, live.token))) this.refused(live, 'profile');
  }

  async sessionSaved(live: LiveAccount, session: Buffer): Promise<void> {
    if (live.fenced || !(await this.db.sessions.save(live.ref.id, session, live.token))) this.refused(live, 'session save');
  }

  /** The provider ended the session: the stored one is deleted, unless a newer owner runs it. */
  async sessionDeleted(live: LiveAccount): Promise<void> {
    if (live.fenced) return void this.refused(live, 'session delete');
    this.beforeSessionDelete?.();
    if ((await this.db.sessions.delete(live.ref.id, live.token)).refused) this.refused(live, 'session delete');
  }

  /** Clears the pending QR (a login that ended), under the lease. */
  async clearQr(live: LiveAccount): Promise<void> {
    if (!live.fenced) await this.qrStore.clear(live.ref.id, live.redisFence);
  }

  private async publishFenced<K extends keyof EventMap>(live: LiveAccount, kind: K, data: EventMap[K]): Promise<void> {
    if (live.fenced) return void this.refused(live, kind);
    const id = await this.publisher.publishFenced(live.redisFence, kind, live.ref.tenantId, live.ref.id, data);
    if (!id) this.refused(live, kind);
  }

  private refused(live: LiveAccount, what: string): false {
    this.logger.warn({ accountId: live.ref.id, token: live.token, what }, 'stale write refused: the lease moved to a newer owner');
    return false;
  }
}
