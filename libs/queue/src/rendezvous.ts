/** A 32-bit hash with good avalanche (FNV-1a, then murmur3's finaliser). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous (highest random weight) hashing: each partition goes to the live worker with the
 * highest hash of (worker, partition). Every worker computes the same answer from the same
 * list, and a worker joining or leaving moves only the partitions it wins or held.
 */
export function ownerOf(partition: number, workers: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const worker of workers) {
    const score = hash32(`${worker}/${partition}`);
    if (score > bestScore || (score === bestScore && best !== undefined && worker < best)) {
      best = worker;
      bestScore = score;
    }
  }
  return best;
}

export function partitionsOwnedBy(worker: string, workers: readonly string[], partitions: number): number[] {
  const owned: number[] = [];
  for (let p = 0; p < partitions; p++) if (ownerOf(p, workers) === worker) owned.push(p);
  return owned;
}
