import { Api } from 'telegram';
import { computeCheck } from 'telegram/Password';
import { TelegramCallError } from './telegram-call-error';
import type { TelegramLoginProgress } from './telegram-login-progress';
import type { TelegramUserClient } from './telegram-user-client';

/** The password hint Telegram shows, for the `password_required` step. */
export async function passwordHint(client: TelegramUserClient): Promise<string | null> {
  const password = await client.call(new Api.account.GetPassword());
  return password.hint ?? null;
}

/**
 * The 2FA step (SRP: the password never leaves this process). A wrong password keeps the step
 * and says so; any other failure throws.
 */
export async function checkPassword(client: TelegramUserClient, password: string): Promise<TelegramLoginProgress> {
  const srp = await client.call(new Api.account.GetPassword());
  const check = await computeCheck(srp, password);
  try {
    const authorization = await client.call(new Api.auth.CheckPassword({ password: check }));
    return signedIn(authorization);
  } catch (error) {
    if (error instanceof TelegramCallError && error.errorMessage === 'PASSWORD_HASH_INVALID') {
      return { step: 'password_required', reason: 'The password is wrong.', hint: srp.hint ?? null };
    }
    throw error;
  }
}

export function signedIn(authorization: Api.auth.TypeAuthorization): TelegramLoginProgress {
  if (!('user' in authorization) || authorization.user.className !== 'User') {
    throw new TelegramCallError('rpc', 'auth', 'this phone number has no Telegram account (sign-up is not supported)');
  }
  return { step: 'signed_in', user: authorization.user as Api.User };
}
