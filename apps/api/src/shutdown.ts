import type { Logger } from '@switchboard/config';
import { withTimeout } from './with-timeout';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * Runs every step in order, each bounded in time, even when an earlier one throws or hangs:
 * a stuck Redis must not keep the database pool open. Failures are logged, not rethrown.
 */
export async function runShutdownSteps(steps: readonly ShutdownStep[], logger: Logger, stepTimeoutMs = 10_000): Promise<void> {
  for (const step of steps) {
    try {
      await withTimeout(Promise.resolve().then(step.run), stepTimeoutMs, `shutdown step "${step.name}"`);
    } catch (error) {
      logger.error({ err: error }, `shutdown step "${step.name}" failed`);
    }
  }
}
