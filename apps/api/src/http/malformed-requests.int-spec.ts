import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorBody } from '@switchboard/contracts';
import { startApiHarness, type ApiHarness } from '../test-support/api-harness';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Writes bytes on a fresh connection and reads the one answer (the server closes or answers in full). */
function rawRequest(url: string, bytes: string | Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 5 s'));
    }, 5_000);
    const tryParse = (final: boolean) => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return final ? reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`)) : undefined;
      const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? NaN);
      const body = text.slice(end + 4);
      if (!final && (Number.isNaN(length) || Buffer.byteLength(body) < length)) return undefined;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(statusLine?.split(' ')[1]);
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(Number.isNaN(length) ? body : Buffer.from(body).subarray(0, length).toString('utf8'));
      } catch {
        // not JSON: the assertion below says so
      }
      resolve({ status, headers, body: parsed });
      return undefined;
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

describe('malformed requests', () => {
  let h: ApiHarness;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    h = await startApiHarness('int-malformed');
    key = (await h.createTenant()).apiKey;
    accountId = (await h.createAccount(key)).id;
  });

  afterAll(async () => {
    await h?.close();
  });

  const host = () => new URL(h.api.url).host;
  /** A POST with the body as given; `Content-Length` is the body's unless `headers` sets one. */
  const post = (path: string, headers: Record<string, string>, body: string | Buffer) => {
    const all: Record<string, string> = { 'Content-Length': String(Buffer.byteLength(body)), ...headers };
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
      `${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    return Buffer.concat([Buffer.from(head), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
  };

  const sendPath = () => `/v1/accounts/${accountId}/messages`;
  const plain = (method: string, path: string, extra = '') =>
    `${method} ${path} HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${key}\r\n${extra}Connection: close\r\n\r\n`;

  const cases: { name: string; request: () => string | Buffer; status: number; code: string; allow?: string; message?: RegExp }[] = [
    { name: 'Content-Encoding: gzip on a body that is not compressed', request: () => post(sendPath(), { 'Content-Encoding': 'gzip' }, '{"to":"alice","text":"hi"}'), status: 400, code: 'validation_failed', message: /decompressed/ },
    { name: 'Content-Encoding: deflate on a body that is not compressed', request: () => post(sendPath(), { 'Content-Encoding': 'deflate' }, '{"to":"alice","text":"hi"}'), status: 400, code: 'validation_failed', message: /decompressed/ },
    { name: 'Content-Encoding: br on a body that is not compressed', request: () => post(sendPath(), { 'Content-Encoding': 'br' }, '{"to":"alice","text":"hi"}'), status: 400, code: 'validation_failed', message: /decompressed/ },
    { name: 'an unknown Content-Encoding', request: () => post(sendPath(), { 'Content-Encoding': 'compress' }, '{"to":"alice","text":"hi"}'), status: 415, code: 'unsupported_media_type' },
    { name: 'gzip that decodes to malformed JSON', request: () => post(sendPath(), { 'Content-Encoding': 'gzip' }, gzipSync('{"to":')), status: 400, code: 'validation_failed' },
    { name: 'a 20 kB header', request: () => plain('GET', '/v1/accounts', `X-Big: ${'x'.repeat(20_000)}\r\n`), status: 431, code: 'headers_too_large' },
    { name: 'a body longer than its Content-Length', request: () => `POST ${sendPath()} HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"to":"alice","text":"hi"}`, status: 400, code: 'validation_failed' },
    { name: 'a Content-Length that is not a number', request: () => post(sendPath(), { 'Content-Length': 'abc' }, '{}'), status: 400, code: 'validation_failed' },
    { name: 'bytes that are not HTTP', request: () => 'HELLO THERE\r\n\r\n', status: 400, code: 'validation_failed' },
    { name: 'JSON that is an array', request: () => post(sendPath(), {}, '[1,2]'), status: 400, code: 'validation_failed' },
    { name: 'JSON that is a string', request: () => post(sendPath(), {}, '"hello"'), status: 400, code: 'validation_failed' },
    { name: 'JSON that is null', request: () => post(sendPath(), {}, 'null'), status: 400, code: 'validation_failed' },
    { name: 'JSON cut short', request: () => post(sendPath(), {}, '{"to":"al'), status: 400, code: 'validation_failed' },
    { name: 'PUT on a send path', request: () => plain('PUT', sendPath()), status: 405, code: 'method_not_allowed', allow: 'POST' },
    { name: 'DELETE on the account list', request: () => plain('DELETE', '/v1/accounts'), status: 405, code: 'method_not_allowed', allow: 'GET, HEAD, POST' },
    { name: 'POST on /healthz', request: () => plain('POST', '/healthz', 'Content-Length: 0\r\n'), status: 405, code: 'method_not_allowed', allow: 'GET, HEAD' },
    { name: 'a traversal under /docs', request: () => plain('GET', '/docs/%2e%2e/%2e%2e/etc/passwd'), status: 404, code: 'not_found' },
    { name: 'an unknown file under /docs', request: () => plain('GET', '/docs/no-such-asset.js'), status: 404, code: 'not_found' },
    { name: 'an unknown path', request: () => plain('GET', '/v1/nothing-here'), status: 404, code: 'not_found' },
  ];

  it.each(cases)('answers $name with $status $code in the documented error shape', async ({ request, status, code, allow, message }) => {
    const answer = await rawRequest(h.api.url, request());
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { error: { code } } });
    expect(ErrorBody.safeParse(answer.body).success).toBe(true);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    if (allow) expect(answer.headers.allow).toBe(allow);
    if (message) expect((answer.body as ErrorBody).error.message).toMatch(message);
  });

  it('still serves the docs page and its assets', async () => {
    expect((await h.request('GET', '/docs')).status).toBe(200);
    expect((await h.request('GET', '/docs/swagger-ui.css')).status).toBe(200);
  });
});
