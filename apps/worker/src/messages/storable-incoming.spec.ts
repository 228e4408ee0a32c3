import type { IncomingMessage } from '@switchboard/messengers';
import { MAX_INCOMING_TEXT, storableIncoming } from './storable-incoming';

const message = (overrides: Partial<IncomingMessage> = {}, chat: Partial<IncomingMessage['chat']> = {}): IncomingMessage => ({
  externalId: 'm1',
  chat: { externalId: 'alice', title: 'Alice', kind: 'private', ...chat },
  origin: 'contact',
  sender: { id: 'alice', name: 'Alice', phone: null },
  type: 'text',
  text: 'hi',
  media: null,
  replyTo: null,
  forwarded: false,
  sentAt: new Date(0),
  ...overrides,
});

describe('storableIncoming', () => {
  it('returns a storable message unchanged, the same object', () => {
    const m = message();
    expect(storableIncoming(m)).toEqual({ message: m, changes: [] });
    expect(storableIncoming(m).message).toBe(m);
  });

  it('cleans text, sender and name, and names each change', () => {
    const { message: stored, changes } = storableIncoming(message({ text: 'a\u0000b' }, { externalId: 'al\u0000ice', title: 'A\uD800' }));
    expect(stored.text).toBe('a\uFFFDb');
    expect(stored.chat.externalId).toBe('al\uFFFDice');
    expect(stored.chat.title).toBe('A\uFFFD');
    expect(changes).toEqual(['chat.externalId: replaced 1 NUL character', 'chat.title: replaced 1 unpaired surrogate', 'text: replaced 1 NUL character']);
  });

  it('cuts a very long text', () => {
    const { message: stored, changes } = storableIncoming(message({ text: 'x'.repeat(100_000) }));
    expect(stored.text).toHaveLength(MAX_INCOMING_TEXT);
    expect(changes).toEqual([`text: cut 100000 characters to ${MAX_INCOMING_TEXT}`]);
  });

  it('keeps a null text and a missing phone as they are', () => {
    const { message: stored } = storableIncoming(message({ text: null, externalId: 'x\u0000' }));
    expect(stored.text).toBeNull();
    expect('phone' in stored.chat).toBe(false);
  });
});
