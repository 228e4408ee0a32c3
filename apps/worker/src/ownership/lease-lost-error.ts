/** This worker no longer (certainly) holds the partition's lease: the job goes back to the queue. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}
