import { Api } from 'telegram';
import { TelegramCallError } from './telegram-call-error';
import type { TelegramLoginProgress } from './telegram-login-progress';
import { checkPassword, passwordHint, signedIn } from './telegram-password-check';
import type { TelegramUserClient } from './telegram-user-client';

const CODE_REASONS: Record<string, string> = {
  PHONE_CODE_INVALID: 'The code is wrong.',
  PHONE_CODE_EMPTY: 'The code is empty.',
};

/**
 * Phone login on one client: `start` sends the code (gramjs follows PHONE_MIGRATE_X to the
 * account's data centre), `submitCode` signs in or asks for the 2FA password, `submitPassword`
 * finishes. A wrong code or password keeps the step and says why; an expired code sends a new one.
 */
export class TelegramPhoneLogin {
  private phoneCodeHash: string | null = null;
  private progress: TelegramLoginProgress['step'] | 'not_started' = 'not_started';

  constructor(
    private readonly client: TelegramUserClient,
    private readonly phone: string,
  ) {}

  async start(): Promise<TelegramLoginProgress> {
    await this.sendCode();
    return { step: 'code_required', reason: null };
  }

  async submitCode(code: string): Promise<TelegramLoginProgress> {
    this.expect('code_required');
    try {
      const authorization = await this.client.call(
        new Api.auth.SignIn({ phoneNumber: this.phone, phoneCodeHash: this.phoneCodeHash!, phoneCode: code.trim() }),
      );
      return this.finish(signedIn(authorization));
    } catch (error) {
      if (!(error instanceof TelegramCallError)) throw error;
      if (error.errorMessage === 'SESSION_PASSWORD_NEEDED') {
        this.progress = 'password_required';
        return { step: 'password_required', reason: null, hint: await passwordHint(this.client) };
      }
      if (error.errorMessage === 'PHONE_CODE_EXPIRED') {
        await this.sendCode();
        return { step: 'code_required', reason: 'The code expired; a new code was sent.' };
      }
      const reason = CODE_REASONS[error.errorMessage];
      if (reason) return { step: 'code_required', reason };
      throw error;
    }
  }

  async submitPassword(password: string): Promise<TelegramLoginProgress> {
    this.expect('password_required');
    return this.finish(await checkPassword(this.client, password));
  }

  private async sendCode(): Promise<void> {
    const { apiId, apiHash } = this.client.client;
    const sent = await this.client.call(
      new Api.auth.SendCode({ phoneNumber: this.phone, apiId, apiHash, settings: new Api.CodeSettings({}) }),
    );
    if (!(sent instanceof Api.auth.SentCode)) throw new TelegramCallError('rpc', 'auth.SendCode', `unexpected answer ${sent.className}`);
    this.phoneCodeHash = sent.phoneCodeHash;
    this.progress = 'code_required';
  }

  private finish(progress: TelegramLoginProgress): TelegramLoginProgress {
    this.progress = progress.step;
    return progress;
  }

  private expect(step: TelegramLoginProgress['step']): void {
    if (this.progress !== step) throw new Error(`the phone login is at ${this.progress}, not ${step}`);
  }
}
