/** A provider call that did not answer in time: its client is treated as hung. */
export class CallTimeoutError extends Error {
  override name = 'CallTimeoutError';
}

/** `promise`, or a CallTimeoutError naming `what` once `ms` have passed (the timer never outlives it). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
