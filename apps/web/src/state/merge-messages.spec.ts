import type { Message } from '../api/api-types';
import { mergeMessages } from './merge-messages';

const at = '2026-12-01T10:00:00.000Z';
const message = (id: string, text = id): Message => ({
  id,
  accountId: 'a',
  chatId: 'c',
  externalId: null,
  direction: 'in',
  text,
  media: null,
  status: 'received',
  error: null,
  sentAt: at,
  // All within one millisecond: only the api's order tells them apart.
  createdAt: at,
});
const ids = (messages: Message[]) => messages.map((m) => m.id);

describe('mergeMessages', () => {
  it('puts an older page before the thread and newer messages after it, in the order given', () => {
    const thread = [message('m3'), message('m4')];
    expect(ids(mergeMessages(thread, [message('m1'), message('m2')], 'older'))).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(ids(mergeMessages(thread, [message('m5')], 'newer'))).toEqual(['m3', 'm4', 'm5']);
  });

  it('replaces a known message where it stands, once (a replayed or updated one)', () => {
    const thread = [message('m1'), message('m2'), message('m3')];
    const merged = mergeMessages(thread, [message('m2', 'edited')], 'newer');
    expect(ids(merged)).toEqual(['m1', 'm2', 'm3']);
    expect(merged[1]?.text).toBe('edited');
    expect(ids(mergeMessages(merged, [message('m1'), message('m0')], 'older'))).toEqual(['m0', 'm1', 'm2', 'm3']);
  });
});
