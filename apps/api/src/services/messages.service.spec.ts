import { base64DecodedLength } from './messages.service';

describe('base64DecodedLength', () => {
  it.each(['', 'a', 'ab', 'abc', 'abcd', 'x'.repeat(1000)])('matches Buffer for %#', (raw) => {
    const encoded = Buffer.from(raw).toString('base64');
    expect(base64DecodedLength(encoded)).toBe(Buffer.from(encoded, 'base64').length);
  });
});
