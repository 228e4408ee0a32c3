import type { Message } from '../api/api-types';

/**
 * Merges messages into a thread (oldest first) in the api's order, which is exact even within a
 * millisecond (createdAt strings are not): a known message is replaced where it stands, an older
 * page goes before the thread, anything else (newer pages, live messages) after it.
 */
export function mergeMessages(existing: Message[], incoming: Message[], placement: 'older' | 'newer'): Message[] {
  const incomingById = new Map(incoming.map((m) => [m.id, m]));
  const kept = existing.map((m) => (incomingById.has(m.id) ? { ...m, ...incomingById.get(m.id) } : m));
  const known = new Set(existing.map((m) => m.id));
  const added = incoming.filter((m) => !known.has(m.id));
  return placement === 'older' ? [...added, ...kept] : [...kept, ...added];
}
