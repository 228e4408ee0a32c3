/** A failure retrying cannot fix: the job ends now, with this message as the reason. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** What a handler asks of the job runner besides "done". */
export type JobOutcome = { kind: 'done' } | { kind: 'wait'; ms: number; why: string };

export const DONE: JobOutcome = { kind: 'done' };
export const waitFor = (ms: number, why: string): JobOutcome => ({ kind: 'wait', ms: Math.max(1, Math.ceil(ms)), why });
