import type { JobsOptions } from 'bullmq';
import type { JobMap, JobName } from '@switchboard/contracts';
import { JOB_NAMES } from './job-names';

export interface RetryPolicy {
  sendAttempts: number;
  sendBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { sendAttempts: 5, sendBackoffMs: 1_000 };

/** Per-job options, in one place. Completed jobs are trimmed; failed jobs are kept for ops. */
export function jobOptionsFor<N extends JobName>(name: N, data: JobMap[N], policy: RetryPolicy): JobsOptions {
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
        attempts: policy.sendAttempts,
        backoff: { type: 'exponential', delay: policy.sendBackoffMs },
      };
    default:
      return { ...base, attempts: 3, backoff: { type: 'exponential', delay: 500 } };
  }
}
