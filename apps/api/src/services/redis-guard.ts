import type { Redis } from 'ioredis';
import type { Logger } from '@switchboard/config';
import { ApiError } from '../http/api-error';
import { withTimeout } from '../with-timeout';

/**
 * Runs a Redis-backed step of a request so that an unreachable Redis is a quick 503, never a
 * hang: a connection that is not ready is refused at once (BullMQ would wait for it forever),
 * and a step that takes too long is abandoned.
 */
export class RedisGuard {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  async run<T>(what: string, step: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw this.unavailable(what);
    try {
      return await withTimeout(step(), this.timeoutMs, what);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.logger.warn({ err: error }, `${what} failed`);
      throw this.unavailable(what);
    }
  }

  private unavailable(what: string): ApiError {
    return ApiError.unavailable(`Redis is unavailable (${what}); try again shortly`);
  }
}
