/**
 * Errors that mean "PostgreSQL is not there yet" rather than "something is wrong": the server
 * is down or still starting (a container started beside it), or shutting down for a restart.
 */
const NOT_YET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03', '57P01', '08006', '08001']);

export function isPostgresNotReady(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NOT_YET_CODES.has(code)) return true;
  // pg wraps connection failures of a pool in AggregateError (one per address tried).
  const inner = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(inner) && inner.length > 0 && inner.every(isPostgresNotReady);
}

export interface WaitOptions {
  /** Called before each wait: once at first, then every tenth attempt. */
  onWait(reason: string, attempt: number): void;
  timeoutMs?: number;
  intervalMs?: number;
}

/** Runs `open` until it succeeds, waiting while PostgreSQL is not reachable yet; other errors are thrown at once. */
export async function whenPostgresIsReachable<T>(open: () => Promise<T>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!isPostgresNotReady(error) || Date.now() > deadline) throw error;
      if (attempt === 1 || attempt % 10 === 0) options.onWait((error as Error).message || String((error as { code?: string }).code), attempt);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  }
}
