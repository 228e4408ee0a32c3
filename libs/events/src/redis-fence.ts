/**
 * A fence for a Redis write: the write is applied only while `key` (a partition's lease) holds
 * `holder` (this worker and its fencing token), checked atomically with the write itself.
 */
export interface RedisFence {
  key: string;
  holder: string;
}
