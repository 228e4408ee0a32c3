/**
 * Frozen queue names. Renaming one strands every job already waiting under the old name:
 * add a new name and drain the old queue instead.
 */
export const QUEUE_NAMES = {
  /** One queue per partition: `account-jobs.<partition>`. */
  accountJobs: 'account-jobs',
} as const;

export function partitionQueueName(partition: number): string {
  return `${QUEUE_NAMES.accountJobs}.${partition}`;
}
