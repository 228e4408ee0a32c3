/**
 * Waits for a condition that an event will make true, re-checking when `notify` fires or at
 * most every `recheckMs` (for conditions observed through another process, e.g. the database).
 * Fails with `description` when the deadline passes, so a test can fail.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 15_000, recheckMs = 50, description = 'condition' }: { timeoutMs?: number; recheckMs?: number; description?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, recheckMs));
  }
}
