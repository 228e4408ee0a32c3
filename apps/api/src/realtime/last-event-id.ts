import { isStreamId } from '@switchboard/events';

/** Why a client's `lastEventId` cannot be used (null when it is absent or a stream id). */
export function lastEventIdProblem(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return 'must be a string, the id of the last event handled';
  if (!isStreamId(value)) return 'must be an event id as received, such as 1764633600000-0 (milliseconds, a dash, a sequence number)';
  return null;
}
