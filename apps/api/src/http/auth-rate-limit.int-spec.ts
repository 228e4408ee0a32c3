import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io } from 'socket.io-client';
import { startApi } from '../api-server';
import { attachRealtime } from '../realtime/attach-realtime';
import { apiConfigFor, expectApiError, request, startApiHarness, type ApiHarness } from '../test-support/api-harness';

/** Connects a socket and resolves with its refusal message (or 'connected'). */
function socketOutcome(url: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

describe('rate limit of failed authentications', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness('api-auth-rate-limit');
  });
  afterAll(() => h?.close());

  it('answers 429 with Retry-After once one address has failed too often with one key prefix, before the key is checked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await h.request('GET', '/v1/accounts', { key: `sb_guessing-${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);

    const limited = await h.request('GET', '/v1/accounts', { key: 'sb_guessing-and-more' });
    expectApiError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another key prefix from the same address still gets an answer on its merits, until the per-address limit.
    const tenant = await h.createTenant();
    expect((await h.request('GET', '/v1/accounts', { key: tenant.apiKey })).status).toBe(200);
    expectApiError(await h.request('GET', '/v1/accounts', { key: 'sb_other-guess' }), 401, 'unauthorized');
  });

  it('counts socket and HTTP failures together: past the limit a socket is refused with rate_limited', async () => {
    const mediaDir = await mkdtemp(join(tmpdir(), 'auth-rate-limit-'));
    const api = await startApi(apiConfigFor(h.env, mediaDir), { logger: pino({ level: 'silent' }), attachRealtime });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 9; i++) outcomes.push(await socketOutcome(api.url, `sb_socketguess-${i}`));
      expect(outcomes).toEqual(Array(9).fill('unauthorized'));
      expectApiError(await request(api.url, 'GET', '/v1/accounts', { key: 'sb_socketguess-http' }), 401, 'unauthorized');
      expect(await socketOutcome(api.url, 'sb_socketguess-last')).toBe('rate_limited');
      expectApiError(await request(api.url, 'GET', '/v1/accounts', { key: 'sb_socketguess-http' }), 429, 'rate_limited');
    } finally {
      await api.close();
      await rm(mediaDir, { recursive: true, force: true });
    }
  });
});
