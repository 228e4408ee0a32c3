import type { ErrorBody, ErrorCode, ErrorDetail } from '@switchboard/contracts';

const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** An error a client should see as is: its code decides the status (docs/api.md "Errors"). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }

  static validation(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('validation_failed', message, details);
  }

  static unauthorized(message = 'A valid API key is required (Authorization: Bearer <key>)'): ApiError {
    return new ApiError('unauthorized', message);
  }

  static forbidden(message: string): ApiError {
    return new ApiError('forbidden', message);
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }

  static conflict(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('conflict', message, details);
  }

  static unprocessable(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('unprocessable', message, details);
  }

  static payloadTooLarge(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('payload_too_large', message, details);
  }

  static rateLimited(message: string): ApiError {
    return new ApiError('rate_limited', message);
  }

  static unavailable(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('unavailable', message, details);
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details && this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}
