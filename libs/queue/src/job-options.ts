import type { JobsOptions } from 'bullmq';
import type { JobMap, JobName } from '@switchboard/contracts';
import { JOB_NAMES } from './job-names';

/**
 * A send's retries are the worker's to decide (SEND_ATTEMPTS, SEND_BACKOFF_MS): the job allows
 * the most the worker may be configured for, the worker ends it after its own count, and its
 * backoff strategy answers for this type.
 */
export const SEND_MAX_ATTEMPTS = 50;
export const SEND_BACKOFF_TYPE = 'send-backoff';

/** Per-job options, in one place. Completed jobs are trimmed; failed jobs are kept for ops. */
export function jobOptionsFor<N extends JobName>(name: N, data: JobMap[N]): JobsOptions {
  const base: JobsOptions = {
    removeOnComplete: { count: 10_000, age: 24 * 3600 },
    removeOnFail: { count: 100_000 },
  };
  switch (name) {
    case JOB_NAMES.send:
      return {
        ...base,
        // A retried HTTP request, or a re-enqueue, can never add the same send twice.
        jobId: (data as JobMap['message.send']).messageId,
        attempts: SEND_MAX_ATTEMPTS,
        backoff: { type: SEND_BACKOFF_TYPE },
      };
    default:
      return { ...base, attempts: 3, backoff: { type: 'exponential', delay: 500 } };
  }
}
