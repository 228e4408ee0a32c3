/** Why a Telegram call failed, in the terms the worker acts on. */
export type TelegramFailureKind =
  /** FLOOD_WAIT_X: retry after `seconds`, do not count it as a failure. */
  | 'flood_wait'
  /** The session is gone (revoked, logged out, duplicated): the user must log in again. */
  | 'logged_out'
  /** No answer within the deadline, or the client could not connect: recreate the client. */
  | 'timeout'
  | 'not_connected'
  /** Any other RPC error (bad peer, wrong code, …): `errorMessage` says which. */
  | 'rpc';

const LOGGED_OUT = new Set(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'AUTH_KEY_DUPLICATED', 'SESSION_EXPIRED', 'USER_DEACTIVATED']);

/** A failed Telegram call: the method, Telegram's error message and, for flood waits, the seconds. */
export class TelegramCallError extends Error {
  constructor(
    readonly kind: TelegramFailureKind,
    readonly method: string,
    readonly errorMessage: string,
    readonly code?: number,
    readonly seconds?: number,
  ) {
    super(`${method}: ${errorMessage}`);
    this.name = 'TelegramCallError';
  }
}

/** Maps whatever gramjs threw (RPCError, FloodWaitError, …) to a TelegramCallError. */
export function toTelegramCallError(error: unknown, method: string): TelegramCallError {
  if (error instanceof TelegramCallError) return error;
  const { code, errorMessage, seconds } = (error ?? {}) as { code?: number; errorMessage?: string; seconds?: number };
  if (typeof errorMessage === 'string') {
    if (/^FLOOD_(?:PREMIUM_)?WAIT_\d+$/.test(errorMessage) || typeof seconds === 'number') {
      const wait = seconds ?? Number(errorMessage.replace(/\D/g, ''));
      // gramjs's FloodWaitError says just "FLOOD"; name the wait as Telegram did.
      return new TelegramCallError('flood_wait', method, `FLOOD_WAIT_${wait}`, code, wait);
    }
    if (LOGGED_OUT.has(errorMessage)) return new TelegramCallError('logged_out', method, errorMessage, code);
    return new TelegramCallError('rpc', method, errorMessage, code);
  }
  return new TelegramCallError('rpc', method, error instanceof Error ? error.message : String(error));
}
