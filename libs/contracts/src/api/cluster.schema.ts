import { z } from '../zod';
import { IsoDateTime } from './common.schema';

export const ClusterWorker = z
  .object({
    id: z.string(),
    lastHeartbeatAt: IsoDateTime,
    /** Its last heartbeat is younger than the lease TTL (it takes part in the assignment). */
    live: z.boolean(),
    /** Partitions whose lease it holds now (the truth of ownership), ascending. */
    partitions: z.array(z.number().int()),
    /** Accounts of those partitions with a session: status neither disconnected, logged_out nor failed. */
    sessions: z.number().int(),
  })
  .openapi('ClusterWorker');
export type ClusterWorker = z.infer<typeof ClusterWorker>;

export const ClusterView = z
  .object({
    partitions: z.number().int(),
    workers: z.array(ClusterWorker),
    /** Partitions no worker holds a lease on right now (between a worker's death and the takeover). */
    unownedPartitions: z.array(z.number().int()),
  })
  .openapi('ClusterView');
export type ClusterView = z.infer<typeof ClusterView>;
