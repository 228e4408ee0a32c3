import type { ErrorDetail } from '@switchboard/contracts';
import { withTimeout } from '../with-timeout';

export type DependencyCheck = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  /** One entry per dependency that did not answer in time, named by `path`. */
  failures: ErrorDetail[];
}

/** Asks every dependency at once; each must answer within the timeout. */
export class ReadinessService {
  constructor(
    private readonly checks: Record<string, DependencyCheck>,
    private readonly timeoutMs = 1_000,
  ) {}

  async check(): Promise<Readiness> {
    const names = Object.keys(this.checks);
    const results = await Promise.allSettled(
      names.map((name) => withTimeout(Promise.resolve().then(this.checks[name]), this.timeoutMs, name)),
    );
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ path: names[i]!, message: describe(result.reason) }] : [],
    );
    return { ready: failures.length === 0, failures };
  }
}

const describe = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));
