import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger per process. Known secret-bearing fields are redacted as a second line of
 * defence; the first is never to log a session, key or password at all.
 */
export function createLogger(name: string, level: string): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    redact: {
      paths: ['apiKey', '*.apiKey', 'password', '*.password', 'session', '*.session', 'authorization', '*.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
