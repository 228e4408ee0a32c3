import { z } from '../zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../text/storable-text';

export const Uuid = z.uuid();
export const IsoDateTime = z.string().openapi({ format: 'date-time', example: '2026-11-24T10:00:00.000Z' });

export const ErrorCode = z.enum([
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'unprocessable',
  'payload_too_large',
  'unsupported_media_type',
  'headers_too_large',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      details: z.array(ErrorDetail).optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Page size for list routes: 1..200, default 50. */
export const PageLimit = z.coerce.number().int().min(1).max(200).default(50);

/** A string from a client that PostgreSQL can store (no NUL, no unpaired surrogate): else a 400 naming the field. */
export const storableString = () => z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
