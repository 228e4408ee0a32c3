import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { isJobName, parseJob, type JobName } from '@switchboard/contracts';
import { FloodWaitError, PermanentSendError } from '@switchboard/messengers';
import type { Logger } from '@switchboard/config';
import { PermanentJobError } from './job-errors';
import type { JobHandler, JobHandlers } from './job-handlers';

const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a BullMQ job through its handler and turns outcomes into BullMQ semantics:
 * wait → moved to delayed (no attempt used); permanent → UnrecoverableError (no retry);
 * flood wait → delayed by exactly the provider's wait; anything else → retried with backoff.
 */
export function createJobDispatcher(handlers: JobHandlers, tokenOf: () => string | null, logger: Logger) {
  // Refuse to boot with a job name that has no handler (the type already demands it).
  for (const name of Object.keys(handlers)) if (!isJobName(name)) throw new Error(`unknown job handler ${name}`);

  return async (job: Job, bullToken?: string): Promise<void> => {
    if (!isJobName(job.name)) throw new UnrecoverableError(`Unknown job name "${job.name}".`);
    const name: JobName = job.name;
    const handler = handlers[name] as JobHandler<JobName>;
    const data = parseJob(name, job.data);
    const token = tokenOf();
    if (!token) throw new Error('This worker no longer owns the partition; the job returns to the queue.');

    const delay = async (ms: number) => {
      await job.moveToDelayed(Date.now() + ms, bullToken);
      throw new DelayedError();
    };

    try {
      const outcome = await handler.run(data, { token });
      if (outcome.kind === 'wait') await delay(outcome.ms);
    } catch (error: unknown) {
      if (error instanceof DelayedError) throw error;
      if (error instanceof FloodWaitError) return delay(error.waitMs);
      const permanent = error instanceof PermanentJobError || error instanceof PermanentSendError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (permanent || lastAttempt) {
        await handler.onFinalFailure?.(data, readable(error));
        logger.warn({ jobId: job.id, name, reason: readable(error) }, 'job failed for good');
        throw new UnrecoverableError(readable(error));
      }
      logger.info({ jobId: job.id, name, attempt: job.attemptsMade + 1, reason: readable(error) }, 'job failed; it will be retried');
      throw error;
    }
  };
}
