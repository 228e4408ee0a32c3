/** A failure retrying cannot fix: the job ends now, with this message as the reason. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/**
 * What a handler asks of the job runner besides "done": to wait `ms` without spending an
 * attempt. `wakeIf` is asked once the job is parked: when it already holds (the account
 * connected meanwhile), the job runs again at once instead of at the end of its wait.
 */
export type JobOutcome = { kind: 'done' } | { kind: 'wait'; ms: number; why: string; wakeIf?: () => boolean };

export const DONE: JobOutcome = { kind: 'done' };
export const waitFor = (ms: number, why: string, wakeIf?: () => boolean): JobOutcome => ({ kind: 'wait', ms: Math.max(1, Math.ceil(ms)), why, wakeIf });
