import { isPostgresNotReady, whenPostgresIsReachable } from './wait-for-postgres';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('whenPostgresIsReachable', () => {
  it('tells "not there yet" from real errors', () => {
    expect(isPostgresNotReady(refused)).toBe(true);
    expect(isPostgresNotReady(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isPostgresNotReady(Object.assign(new AggregateError([refused, refused]), {}))).toBe(true);
    expect(isPostgresNotReady(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(false);
    expect(isPostgresNotReady(new Error('boom'))).toBe(false);
  });

  it('waits while PostgreSQL is not reachable, saying so once, then returns what open gave', async () => {
    let calls = 0;
    const waits: string[] = [];
    const result = await whenPostgresIsReachable(
      async () => {
        calls += 1;
        if (calls < 3) throw refused;
        return 'open';
      },
      { onWait: (reason) => waits.push(reason), intervalMs: 1 },
    );
    expect(result).toBe('open');
    expect(waits).toEqual(['connect ECONNREFUSED 127.0.0.1:5432']);
  });

  it('throws other errors at once, and gives up after the timeout', async () => {
    const denied = Object.assign(new Error('denied'), { code: '28P01' });
    await expect(whenPostgresIsReachable(() => Promise.reject(denied), { onWait: () => undefined })).rejects.toBe(denied);
    await expect(whenPostgresIsReachable(() => Promise.reject(refused), { onWait: () => undefined, timeoutMs: 20, intervalMs: 5 })).rejects.toBe(refused);
  });
});
