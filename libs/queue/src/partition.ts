/**
 * The partition of an account: FNV-1a (32 bit) of its id, modulo the partition count.
 * Stable across processes and releases; PARTITIONS is fixed for a deployment.
 */
export function partitionOf(accountId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
