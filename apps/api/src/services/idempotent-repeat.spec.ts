import { ApiError } from '../http/api-error';
import { assertSameSend, isSameSend } from './idempotent-repeat';

const media = { mimeType: 'image/png', filename: 'a.png', size: 3, url: '/v1/media/abc', state: 'ready' as const };

describe('isSameSend', () => {
  it('accepts the same chat, text and media', () => {
    expect(isSameSend({ chatId: 'c', text: 'hi', media }, { chatId: 'c', text: 'hi', media: { ...media } })).toBe(true);
    expect(isSameSend({ chatId: 'c', text: 'hi', media: null }, { chatId: 'c', text: 'hi', media: null })).toBe(true);
  });

  it.each([
    ['another chat', { chatId: 'd', text: 'hi', media: null }],
    ['another text', { chatId: 'c', text: 'hello', media: null }],
    ['no text', { chatId: 'c', text: null, media: null }],
    ['media added', { chatId: 'c', text: 'hi', media }],
  ])('refuses %s', (_what, repeat) => {
    expect(isSameSend({ chatId: 'c', text: 'hi', media: null }, repeat)).toBe(false);
    expect(() => assertSameSend({ chatId: 'c', text: 'hi', media: null }, repeat)).toThrow(ApiError);
  });

  it('refuses other media bytes or another file name', () => {
    expect(isSameSend({ chatId: 'c', text: null, media }, { chatId: 'c', text: null, media: { ...media, url: '/v1/media/def' } })).toBe(false);
    expect(isSameSend({ chatId: 'c', text: null, media }, { chatId: 'c', text: null, media: { ...media, filename: null } })).toBe(false);
  });
});
