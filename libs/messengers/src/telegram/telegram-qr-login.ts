import { Api } from 'telegram';
import { Raw } from 'telegram/events';
import { TelegramCallError } from './telegram-call-error';
import type { TelegramLoginProgress } from './telegram-login-progress';
import { passwordHint, signedIn } from './telegram-password-check';
import type { TelegramUserClient } from './telegram-user-client';
import { withDeadline } from './with-deadline';

export interface TelegramQrCode {
  /** What the QR code encodes: `tg://login?token=<base64url>`. */
  url: string;
  expiresAt: Date;
}

export interface TelegramQrLoginOptions {
  onQr(qr: TelegramQrCode): Promise<void> | void;
  /** Export a new token this long before the shown one expires. */
  refreshBeforeExpiryMs?: number;
  /** Give up after this many tokens nobody scanned. */
  maxTokens?: number;
}

/**
 * QR login without gramjs's `signInUserWithQrCode` (whose 30 s sleeps cannot be cancelled): export
 * a token, show it, wait for `updateLoginToken` or the token's expiry, export again. A token
 * accepted on another data centre is followed there (`_switchDC`, `auth.importLoginToken`); an
 * account with 2FA ends at `password_required` (finish it with `checkPassword`).
 */
export class TelegramQrLogin {
  private cancelled = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: TelegramUserClient,
    private readonly options: TelegramQrLoginOptions,
  ) {}

  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  async run(): Promise<TelegramLoginProgress> {
    let scanned = false;
    const builder = new Raw({ types: [Api.UpdateLoginToken] });
    const onScanned = () => {
      scanned = true;
      this.wake?.();
    };
    this.client.client.addEventHandler(onScanned, builder);
    try {
      for (let tokens = 0; ; ) {
        if (this.cancelled) throw new TelegramCallError('rpc', 'auth.ExportLoginToken', 'QR login cancelled');
        const exported = await this.loginStep(() => this.exportToken());
        if (!(exported instanceof Api.auth.LoginToken)) return exported;
        if (tokens++ >= (this.options.maxTokens ?? 5)) {
          throw new TelegramCallError('timeout', 'auth.ExportLoginToken', 'nobody scanned the QR code');
        }
        const expiresAt = new Date(exported.expires * 1000);
        await this.options.onQr({ url: `tg://login?token=${exported.token.toString('base64url')}`, expiresAt });
        if (!scanned) await this.sleepUntil(expiresAt.getTime() - (this.options.refreshBeforeExpiryMs ?? 2_000));
        scanned = false;
      }
    } finally {
      this.client.client.removeEventHandler(onScanned, builder);
      this.wake = null;
    }
  }

  /** Exports a token; resolves a success or a data-centre move into the login's progress. */
  private async exportToken(): Promise<TelegramLoginProgress | Api.auth.LoginToken> {
    const { apiId, apiHash } = this.client.client;
    let result = await this.client.call(new Api.auth.ExportLoginToken({ apiId, apiHash, exceptIds: [] }));
    if (result instanceof Api.auth.LoginTokenMigrateTo) {
      await withDeadline(this.client.client._switchDC(result.dcId), 30_000, '_switchDC');
      result = await this.client.call(new Api.auth.ImportLoginToken({ token: result.token }));
    }
    if (result instanceof Api.auth.LoginTokenSuccess) return signedIn(result.authorization);
    if (result instanceof Api.auth.LoginToken) return result;
    throw new TelegramCallError('rpc', 'auth.ExportLoginToken', `unexpected answer ${result.className}`);
  }

  private async loginStep<T>(step: () => Promise<T>): Promise<T | TelegramLoginProgress> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof TelegramCallError && error.errorMessage === 'SESSION_PASSWORD_NEEDED') {
        return { step: 'password_required', reason: null, hint: await passwordHint(this.client) };
      }
      throw error;
    }
  }

  private sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, at - Date.now()));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
