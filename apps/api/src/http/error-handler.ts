import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type core } from 'zod';
import type { ErrorDetail } from '@switchboard/contracts';
import type { Logger } from '@switchboard/config';
import { ApiError } from './api-error';

/** body-parser's errors carry a `type`; these are the client's fault, never a 500. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' && 'status' in error;
}

/** zlib's and brotli's errors on a body that is not what its Content-Encoding says (body-parser gives them status 400). */
function isUndecodableBody(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 400 && typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR'));
}

/** One detail per bad field, `path` dotted (`media.data`); a union names its branches' fields. */
export function zodIssuesToDetails(issues: readonly core.$ZodIssue[], prefix: PropertyKey[] = []): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      details.push(...issue.errors.flatMap((branch) => zodIssuesToDetails(branch, path)));
    } else {
      details.push({ path: path.map(String).join('.'), message: issue.message });
    }
  }
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Maps anything thrown while handling a request to the error a client sees; null means a 500. */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return ApiError.validation('The request is invalid', zodIssuesToDetails(error.issues));
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return ApiError.validation('The body is not valid JSON');
      case 'entity.too.large':
        return ApiError.payloadTooLarge(
          `The body is larger than ${Math.floor((error.limit ?? 0) / (1024 * 1024))} MB`,
        );
      case 'encoding.unsupported':
        return new ApiError('unsupported_media_type', 'Unsupported Content-Encoding: send the body uncompressed, or as gzip, deflate or br');
      default:
        if (error.status !== undefined && error.status >= 400 && error.status < 500) {
          return ApiError.validation('The body could not be read');
        }
    }
  }
  if (isUndecodableBody(error)) {
    return ApiError.validation('The body could not be decompressed: it does not match its Content-Encoding', [
      { path: 'Content-Encoding', message: 'does not match the body' },
    ]);
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let apiError = toApiError(error);
    if (!apiError) {
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
      apiError = new ApiError('internal', 'Internal server error');
    }
    res.status(apiError.status).json(apiError.toBody());
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new ApiError('not_found', `No route for ${req.method} ${req.path}`);
};
