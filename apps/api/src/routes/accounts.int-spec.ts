import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { Account, AccountList, QrCode, type JobName } from '@switchboard/contracts';
import { SessionCipher } from '@switchboard/db';
import { QrStore } from '@switchboard/events';
import { LoginInputStore, partitionOf } from '@switchboard/queue';
import { detailPaths, expectApiError, startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('accounts (tenant key)', () => {
  let h: ApiHarness;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    h = await startApiHarness('api-accounts');
    keyA = (await h.createTenant('tenant-a')).apiKey;
    keyB = (await h.createTenant('tenant-b')).apiKey;
  });
  afterAll(() => h.close());

  /** The jobs of one kind for an account, from its own partition queue. */
  async function jobsOf(accountId: string, name: JobName): Promise<Job[]> {
    const queue = h.producer.queue(partitionOf(accountId, h.config.PARTITIONS));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    return jobs.filter((job) => job.name === name && (job.data as { accountId: string }).accountId === accountId);
  }

  const setStatus = (accountId: string, status: Account['status']) => h.db.accounts.setStatus(accountId, status, null, '0');

  it('creates a disconnected account in the partition of its id', async () => {
    const res = await h.request('POST', '/v1/accounts', { key: keyA, json: { provider: 'telegram', name: 'Support' } });
    expect(res.status).toBe(201);
    const account = Account.parse(res.body);
    expect(account).toMatchObject({ provider: 'telegram', name: 'Support', desiredState: 'disconnected', status: 'disconnected', statusReason: null, profile: null });
    const row = await h.db.accounts.findById(account.id);
    expect(row?.partition).toBe(partitionOf(account.id, h.config.PARTITIONS));
  });

  it('refuses an invalid account body naming each field', async () => {
    const res = await h.request('POST', '/v1/accounts', { key: keyA, json: { provider: 'icq' } });
    expect(detailPaths(expectApiError(res, 400, 'validation_failed')).sort()).toEqual(['name', 'provider']);
  });

  it('lists and shows only the caller’s accounts; another tenant’s is a 404', async () => {
    const mine = await h.createAccount(keyA, 'sandbox', 'mine');
    const theirs = await h.createAccount(keyB, 'sandbox', 'theirs');

    const listA = AccountList.parse((await h.request('GET', '/v1/accounts', { key: keyA })).body);
    expect(listA.items.map((a) => a.id)).toContain(mine.id);
    expect(listA.items.map((a) => a.id)).not.toContain(theirs.id);

    const one = await h.request('GET', `/v1/accounts/${mine.id}`, { key: keyA });
    expect(one.status).toBe(200);
    expect(Account.parse(one.body)).toEqual(mine);

    expectApiError(await h.request('GET', `/v1/accounts/${theirs.id}`, { key: keyA }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/accounts/${randomUUID()}`, { key: keyA }), 404, 'not_found');
    expectApiError(await h.request('GET', '/v1/accounts/not-a-uuid', { key: keyA }), 404, 'not_found');
  });

  it('connects with QR by default: desired state, login intent and an account.connect job', async () => {
    const account = await h.createAccount(keyA, 'whatsapp');
    const res = await h.request('POST', `/v1/accounts/${account.id}/connect`, { key: keyA });
    expect(res.status).toBe(202);
    expect(Account.parse(res.body).desiredState).toBe('connected');
    const row = await h.db.accounts.findById(account.id);
    expect(row).toMatchObject({ desiredState: 'connected', loginMethod: 'qr', phone: null });
    const jobs = await jobsOf(account.id, 'account.connect');
    expect(jobs.map((j) => j.data)).toEqual([{ accountId: account.id }]);
  });

  it('records phone login with the phone, and refuses a method the provider lacks (422) or a missing phone (400)', async () => {
    const telegram = await h.createAccount(keyA, 'telegram');
    const ok = await h.request('POST', `/v1/accounts/${telegram.id}/connect`, { key: keyA, json: { method: 'phone', phone: '+15551234567' } });
    expect(ok.status).toBe(202);
    expect(await h.db.accounts.findById(telegram.id)).toMatchObject({ loginMethod: 'phone', phone: '+15551234567' });

    const pairing = await h.request('POST', `/v1/accounts/${telegram.id}/connect`, { key: keyA, json: { method: 'pairing_code', phone: '+15551234567' } });
    expect(detailPaths(expectApiError(pairing, 422, 'unprocessable'))).toEqual(['method']);

    const whatsapp = await h.createAccount(keyA, 'whatsapp');
    const phone = await h.request('POST', `/v1/accounts/${whatsapp.id}/connect`, { key: keyA, json: { method: 'phone', phone: '+15551234567' } });
    expectApiError(phone, 422, 'unprocessable');
    expect((await h.db.accounts.findById(whatsapp.id))?.desiredState).toBe('disconnected');

    const missing = await h.request('POST', `/v1/accounts/${whatsapp.id}/connect`, { key: keyA, json: { method: 'pairing_code' } });
    expect(detailPaths(expectApiError(missing, 400, 'validation_failed'))).toEqual(['phone']);
    const badPhone = await h.request('POST', `/v1/accounts/${whatsapp.id}/connect`, { key: keyA, json: { method: 'pairing_code', phone: '555' } });
    expect(detailPaths(expectApiError(badPhone, 400, 'validation_failed'))).toEqual(['phone']);
  });

  it('takes a login code only while the account waits for one, sealed in Redis and passed by reference', async () => {
    const account = await h.createAccount(keyA, 'telegram');
    expectApiError(await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { code: '12345' } }), 409, 'conflict');

    await setStatus(account.id, 'code_required');
    expectApiError(await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { password: 'pw' } }), 409, 'conflict');
    const res = await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { code: '12345' } });
    expect(res.status).toBe(202);
    expect(Account.parse(res.body).status).toBe('code_required');

    const [job] = await jobsOf(account.id, 'account.login-input');
    const data = job!.data as { accountId: string; step: string; inputRef: string };
    expect(data).toEqual({ accountId: account.id, step: 'code', inputRef: expect.any(String) });
    expect(JSON.stringify(job!.data)).not.toContain('12345');
    const raw = await h.redis.get(h.keys.loginInput(data.inputRef));
    expect(raw).not.toContain('12345');
    const inputs = new LoginInputStore(h.redis, h.keys, new SessionCipher(h.env.sessionKey));
    expect(await inputs.take(account.id, data.inputRef)).toBe('12345');
  });

  it('takes a 2FA password while the account waits for one', async () => {
    const account = await h.createAccount(keyA, 'telegram');
    await setStatus(account.id, 'password_required');
    expectApiError(await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { code: '1' } }), 409, 'conflict');
    const res = await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { password: 'sandbox' } });
    expect(res.status).toBe(202);
    const [job] = await jobsOf(account.id, 'account.login-input');
    expect((job!.data as { step: string }).step).toBe('password');
  });

  it('refuses a login body without exactly one of code or password', async () => {
    const account = await h.createAccount(keyA, 'telegram');
    const empty = await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: {} });
    expect(detailPaths(expectApiError(empty, 400, 'validation_failed'))).toEqual(['code', 'password']);
    const both = await h.request('POST', `/v1/accounts/${account.id}/login`, { key: keyA, json: { code: '1', password: 'x' } });
    expectApiError(both, 400, 'validation_failed');
  });

  it('disconnects, keeping the session unless logout is asked for', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    await h.request('POST', `/v1/accounts/${account.id}/connect`, { key: keyA });
    const res = await h.request('POST', `/v1/accounts/${account.id}/disconnect`, { key: keyA });
    expect(res.status).toBe(202);
    expect(Account.parse(res.body).desiredState).toBe('disconnected');
    expect((await h.request('POST', `/v1/accounts/${account.id}/disconnect`, { key: keyA, json: { logout: true } })).status).toBe(202);
    const jobs = await jobsOf(account.id, 'account.disconnect');
    expect(jobs.map((j) => (j.data as { logout: boolean }).logout).sort()).toEqual([false, true]);
    const bad = await h.request('POST', `/v1/accounts/${account.id}/disconnect`, { key: keyA, json: { logout: 'yes' } });
    expect(detailPaths(expectApiError(bad, 400, 'validation_failed'))).toEqual(['logout']);
  });

  it('serves the pending QR code, 404 while there is none', async () => {
    const account = await h.createAccount(keyA, 'whatsapp');
    expectApiError(await h.request('GET', `/v1/accounts/${account.id}/qr`, { key: keyA }), 404, 'not_found');
    const qr: QrCode = { qr: '2@abc,def', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    // Written as the owning worker does: under the partition's lease.
    const fence = { key: h.keys.lease(partitionOf(account.id, h.config.PARTITIONS)), holder: 'test-worker|1' };
    await h.redis.set(fence.key, fence.holder, 'PX', 60_000);
    expect(await new QrStore(h.redis, h.keys.qr).put(account.id, qr, { ...fence, holder: 'stale-worker|0' })).toBe(false);
    expect(await new QrStore(h.redis, h.keys.qr).put(account.id, qr, fence)).toBe(true);
    const res = await h.request('GET', `/v1/accounts/${account.id}/qr`, { key: keyA });
    expect(res.status).toBe(200);
    expect(QrCode.parse(res.body)).toEqual(qr);
    expectApiError(await h.request('GET', `/v1/accounts/${account.id}/qr`, { key: keyB }), 404, 'not_found');
  });

  it('deletes through the worker: desired state disconnected and an account.delete job', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    await h.request('POST', `/v1/accounts/${account.id}/connect`, { key: keyA });
    const res = await h.request('DELETE', `/v1/accounts/${account.id}`, { key: keyA });
    expect(res.status).toBe(202);
    expect((await h.db.accounts.findById(account.id))?.desiredState).toBe('disconnected');
    expect((await jobsOf(account.id, 'account.delete')).map((j) => j.data)).toEqual([{ accountId: account.id }]);
  });

  it('answers 404 to another tenant for every account action, and changes nothing', async () => {
    const account = await h.createAccount(keyA, 'telegram');
    await setStatus(account.id, 'code_required');
    const base = `/v1/accounts/${account.id}`;
    for (const [method, path, json] of [
      ['GET', base, undefined],
      ['DELETE', base, undefined],
      ['POST', `${base}/connect`, {}],
      ['POST', `${base}/login`, { code: '12345' }],
      ['POST', `${base}/disconnect`, {}],
      ['GET', `${base}/qr`, undefined],
    ] as const) {
      expectApiError(await h.request(method, path, { key: keyB, json }), 404, 'not_found');
    }
    expect((await h.db.accounts.findById(account.id))?.desiredState).toBe('disconnected');
    const queue = h.producer.queue(partitionOf(account.id, h.config.PARTITIONS));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(jobs.filter((j) => (j.data as { accountId: string }).accountId === account.id)).toEqual([]);
  });
});
