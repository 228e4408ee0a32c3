import { LoginBody, SendMessageBody } from '@switchboard/contracts';
import { ApiError } from './api-error';
import { toApiError } from './error-handler';

const zodErrorOf = (schema: { safeParse(v: unknown): { error?: unknown } }, value: unknown) => schema.safeParse(value).error;

describe('toApiError', () => {
  it('keeps an ApiError as it is', () => {
    const error = ApiError.conflict('busy');
    expect(toApiError(error)).toBe(error);
    expect(error.status).toBe(409);
  });

  it('turns a zod error into 400 validation_failed with a dotted path per bad field', () => {
    const mapped = toApiError(zodErrorOf(SendMessageBody, { to: 'alice', media: { data: '!!', mimeType: 'image/png' } }));
    expect(mapped?.status).toBe(400);
    expect(mapped?.toBody()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        details: [{ path: 'media.data', message: expect.any(String) }],
      },
    });
  });

  it('names the fields of every branch when a union fails', () => {
    const mapped = toApiError(zodErrorOf(LoginBody, {}));
    expect(mapped?.details?.map((d) => d.path)).toEqual(['code', 'password']);
  });

  it('maps malformed JSON to 400 and an oversized body to 413', () => {
    const malformed = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    expect(toApiError(malformed)?.toBody().error.code).toBe('validation_failed');
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit: 23 * 1024 * 1024 });
    expect(toApiError(tooLarge)?.status).toBe(413);
    expect(toApiError(tooLarge)?.toBody().error.code).toBe('payload_too_large');
  });

  it('leaves anything else to become a 500', () => {
    expect(toApiError(new Error('boom'))).toBeNull();
    expect(toApiError({ type: 'not-a-body-error' })).toBeNull();
  });

  it('omits empty details from the body', () => {
    expect(ApiError.notFound('Account').toBody()).toEqual({ error: { code: 'not_found', message: 'Account not found' } });
  });
});
