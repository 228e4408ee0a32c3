import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '@switchboard/contracts';

/** Node's parser error codes that have a status of their own; any other is a 400. */
const STATUS_OF_PARSER_ERROR: Record<string, { status: number; reason: string; body: ErrorBody['error'] }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    body: { code: 'headers_too_large', message: 'The request headers are too large (16 kB at most in all)' },
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    body: { code: 'validation_failed', message: 'The request was not received in time' },
  },
};

/**
 * Requests Node's HTTP parser refuses never reach Express (oversized headers, a body longer
 * than its Content-Length, bytes that are not HTTP); Node would answer them with an empty
 * body. They get the documented error shape instead, then the connection is closed, since
 * what follows on it cannot be trusted.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = error.code ? STATUS_OF_PARSER_ERROR[error.code] : undefined;
    const status = known?.status ?? 400;
    const reason = known?.reason ?? 'Bad Request';
    const body: ErrorBody = {
      error: known?.body ?? { code: 'validation_failed', message: `The request is not valid HTTP (${error.code ?? 'parse error'})` },
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
