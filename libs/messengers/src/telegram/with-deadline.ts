import { TelegramCallError } from './telegram-call-error';

/**
 * Settles with `promise`, or rejects with a `timeout` TelegramCallError after `ms` (the promise
 * keeps running: gramjs cannot cancel a request, the caller recreates the client instead).
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, method: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TelegramCallError('timeout', method, `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
