import { base64DecodedLength, messageTypeOfMime } from './messages.service';

describe('base64DecodedLength', () => {
  it.each(['', 'a', 'ab', 'abc', 'abcd', 'x'.repeat(1000)])('matches Buffer for %#', (raw) => {
    const encoded = Buffer.from(raw).toString('base64');
    expect(base64DecodedLength(encoded)).toBe(Buffer.from(encoded, 'base64').length);
  });
});

describe('messageTypeOfMime', () => {
  it.each([
    ['image/png', 'image'],
    ['IMAGE/JPEG', 'image'],
    ['video/mp4', 'video'],
    ['audio/ogg', 'audio'],
    ['application/pdf', 'document'],
    ['text/plain', 'document'],
  ])('%s is %s', (mime, type) => {
    expect(messageTypeOfMime(mime)).toBe(type);
  });
});
