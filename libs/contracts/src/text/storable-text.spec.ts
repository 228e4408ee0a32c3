import { isStorableText, REPLACEMENT_CHARACTER, storableText, unstorableReason } from './storable-text';

describe('storableText', () => {
  it('leaves ordinary text, emoji and paired surrogates alone', () => {
    const text = 'héllo 👋 世界';
    expect(storableText(text, 100)).toEqual({ text, changes: [] });
    expect(isStorableText(text)).toBe(true);
  });

  it('replaces NUL characters and says how many, once', () => {
    expect(storableText('a\u0000b\u0000', 100)).toEqual({ text: `a${REPLACEMENT_CHARACTER}b${REPLACEMENT_CHARACTER}`, changes: ['replaced 2 NUL characters'] });
  });

  it('replaces lone high and low surrogates but keeps pairs', () => {
    const result = storableText('x\uD800y\uDC00z👍', 100);
    expect(result.text).toBe(`x${REPLACEMENT_CHARACTER}y${REPLACEMENT_CHARACTER}z👍`);
    expect(result.changes).toEqual(['replaced 2 unpaired surrogates']);
    expect(isStorableText(result.text)).toBe(true);
  });

  it('cuts long text without splitting a surrogate pair', () => {
    const result = storableText(`ab👍cd`, 3);
    expect(result.text).toBe('ab');
    expect(result.changes).toEqual(['cut 6 characters to 2']);
    expect(storableText('x'.repeat(100_000), 65_536).text).toHaveLength(65_536);
  });

  it('names the first problem of unstorable text', () => {
    expect(unstorableReason('a\u0000')).toBe('contains a NUL character');
    expect(unstorableReason('\uDFFF')).toBe('contains an unpaired UTF-16 surrogate');
    expect(unstorableReason('fine')).toBeNull();
  });
});
