import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { isJobName, safeParseJob, type JobName } from '@switchboard/contracts';
import { FloodWaitError, NotConnectedError, PermanentSendError } from '@switchboard/messengers';
import type { Logger } from '@switchboard/config';
import { LeaseLostError } from '../ownership/lease-lost-error';
import { PermanentJobError, type JobOutcome } from './job-errors';
import type { JobHandler, JobHandlers } from './job-handlers';

const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A job that reached a worker without the lease goes back to the queue for this long (no attempt spent). */
export const RETURN_TO_QUEUE_MS = 500;

export interface JobDispatcherDeps {
  handlers: JobHandlers;
  /** The partition's fencing token while our lease is certainly valid, else null. */
  tokenOf: () => string | null;
  /** How many attempts a job of this name gets (sends: SEND_ATTEMPTS; others: their job options). */
  attemptsOf: (job: Job) => number;
  logger: Logger;
}

/**
 * Runs a BullMQ job through its handler and turns outcomes into BullMQ semantics:
 * - invalid payload → fails at once with the reason (the handler ends what it can of it);
 * - lease not held (before or during the job) → back to the queue, no attempt spent;
 * - wait (pace, an account not connected yet) → parked as delayed, no attempt spent;
 * - flood wait → delayed by exactly the provider's wait; not connected → back to the queue;
 * - permanent, or the last attempt → UnrecoverableError, after `onFinalFailure`;
 * - anything else → retried with the backoff.
 */
export function createJobDispatcher({ handlers, tokenOf, attemptsOf, logger }: JobDispatcherDeps) {
  // Refuse to boot with a job name that has no handler (the type already demands it).
  for (const name of Object.keys(handlers)) if (!isJobName(name)) throw new Error(`unknown job handler ${name}`);

  return async (job: Job, bullToken?: string): Promise<void> => {
    if (!isJobName(job.name)) throw new UnrecoverableError(`Unknown job name "${job.name}".`);
    const name: JobName = job.name;
    const handler = handlers[name] as JobHandler<JobName>;

    const park = async (ms: number): Promise<never> => {
      await job.moveToDelayed(Date.now() + ms, bullToken);
      throw new DelayedError();
    };

    const token = tokenOf();
    if (!token) return park(RETURN_TO_QUEUE_MS);
    const context = { token, queuedAt: job.timestamp };

    const parsed = safeParseJob(name, job.data);
    if (!parsed.ok) {
      const reason = `Invalid ${name} job: ${parsed.reason}`;
      await handler.onInvalid?.(job.data, parsed.reason, context);
      logger.warn({ jobId: job.id, name, reason }, 'job failed for good');
      throw new UnrecoverableError(reason);
    }
    const data = parsed.data;

    let outcome: JobOutcome;
    try {
      outcome = await handler.run(data, context);
    } catch (error: unknown) {
      if (error instanceof LeaseLostError) return park(RETURN_TO_QUEUE_MS);
      if (error instanceof FloodWaitError) return park(error.waitMs);
      if (error instanceof NotConnectedError) return park(RETURN_TO_QUEUE_MS);
      const permanent = error instanceof PermanentJobError || error instanceof PermanentSendError;
      const lastAttempt = job.attemptsMade + 1 >= attemptsOf(job);
      if (permanent || lastAttempt) {
        await handler.onFinalFailure?.(data, readable(error), context);
        logger.warn({ jobId: job.id, name, reason: readable(error) }, 'job failed for good');
        throw new UnrecoverableError(readable(error));
      }
      logger.info({ jobId: job.id, name, attempt: job.attemptsMade + 1, reason: readable(error) }, 'job failed; it will be retried');
      throw error;
    }
    if (outcome.kind === 'wait') {
      await job.moveToDelayed(Date.now() + outcome.ms, bullToken);
      // What it waits for may have happened while it was being parked: then it runs again now.
      if (outcome.wakeIf?.()) await job.promote().catch(() => undefined);
      throw new DelayedError();
    }
  };
}
