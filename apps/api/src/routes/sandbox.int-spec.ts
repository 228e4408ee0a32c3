import { Account, SandboxIncomingAccepted, SandboxOutbox, type SandboxOutboxItem } from '@switchboard/contracts';
import { partitionOf } from '@switchboard/queue';
import { detailPaths, expectApiError, request, startApiHarness, type ApiHarness } from '../test-support/api-harness';

/** A valid body for each phone or contact action route. */
const ACTION_BODIES = [
  ['device-send', { to: 'alice', text: 'hi' }],
  ['edit', { externalId: 'e1', text: 'hi' }],
  ['revoke', { externalId: 'e1' }],
  ['react', { externalId: 'e1', from: 'alice', emoji: '👍' }],
  ['read-on-phone', { chat: 'alice' }],
] as const;

describe('sandbox routes (tenant key, SANDBOX_ENABLED)', () => {
  let h: ApiHarness;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    h = await startApiHarness('api-sandbox', { SANDBOX_ENABLED: 'true' });
    keyA = (await h.createTenant('tenant-a')).apiKey;
    keyB = (await h.createTenant('tenant-b')).apiKey;
  });
  afterAll(() => h.close());

  /** What the simulated network has delivered toward an account's partition. */
  async function inboundFor(accountId: string): Promise<Record<string, unknown>[]> {
    const entries = await h.redis.xrange(h.keys.sandbox.inbound(partitionOf(accountId, h.config.PARTITIONS)), '-', '+');
    return entries
      .map(([, fields]) => JSON.parse(fields[1]!) as Record<string, unknown>)
      .filter((item) => item.accountId === accountId);
  }

  it('scans only while a QR or pairing code is shown (409 otherwise)', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    expectApiError(await h.request('POST', `/v1/sandbox/accounts/${account.id}/scan`, { key: keyA }), 409, 'conflict');

    for (const status of ['qr', 'pairing_code'] as const) {
      await h.db.accounts.setStatus(account.id, status, null, '0');
      const res = await h.request('POST', `/v1/sandbox/accounts/${account.id}/scan`, { key: keyA });
      expect(res.status).toBe(202);
      expect(Account.parse(res.body).id).toBe(account.id);
    }
    expect(await inboundFor(account.id)).toEqual([
      { type: 'scan', accountId: account.id },
      { type: 'scan', accountId: account.id },
    ]);
  });

  it('delivers an incoming message from a contact', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    const res = await h.request('POST', `/v1/sandbox/accounts/${account.id}/incoming`, {
      key: keyA,
      json: { from: 'alice', text: 'hi', fromName: 'Alice' },
    });
    expect(res.status).toBe(202);
    const { externalId } = SandboxIncomingAccepted.parse(res.body);
    expect(await inboundFor(account.id)).toEqual([
      expect.objectContaining({ type: 'message', accountId: account.id, externalId, from: 'alice', fromName: 'Alice', text: 'hi' }),
    ]);

    const bad = await h.request('POST', `/v1/sandbox/accounts/${account.id}/incoming`, { key: keyA, json: { text: '' } });
    expect(detailPaths(expectApiError(bad, 400, 'validation_failed')).sort()).toEqual(['from', 'text']);
  });

  it('accepts the extended incoming body: a group, media, a reply, forwarded, the contact’s phone', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    const incoming = (json: unknown) => h.request('POST', `/v1/sandbox/accounts/${account.id}/incoming`, { key: keyA, json });
    const first = SandboxIncomingAccepted.parse((await incoming({ from: 'bob', text: 'hi team', group: { id: 'g1', title: 'Team' } })).body);
    const res = await incoming({
      from: 'carol',
      fromPhone: '+15550002222',
      group: { id: 'g1', title: 'Team' },
      media: { data: Buffer.from('picture').toString('base64'), mimeType: 'image/png', filename: 'p.png' },
      replyTo: first.externalId,
      forwarded: true,
    });
    expect(res.status).toBe(202);
    SandboxIncomingAccepted.parse(res.body);

    const paths = async (json: unknown) => detailPaths(expectApiError(await incoming(json), 400, 'validation_failed')).sort();
    expect(await paths({ from: 'a', text: 'b', fromPhone: '5550002222' })).toEqual(['fromPhone']);
    expect(await paths({ from: 'a', text: 'b', group: { id: 'g1' } })).toEqual(['group.title']);
    expect(await paths({ from: 'a', media: { data: 'not base64!', mimeType: 'image/png' } })).toEqual(['media.data']);
    expect(await paths({ from: 'a', text: 'b', replyTo: '' })).toEqual(['replyTo']);
    expect(await paths({ from: 'a', text: 'b', forwarded: 'yes' })).toEqual(['forwarded']);
  });

  it('drives the phone and the contacts: device-send, edit, revoke, react, read-on-phone', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    const post = (action: string, json: unknown, key = keyA) => h.request('POST', `/v1/sandbox/accounts/${account.id}/${action}`, { key, json });

    const sent = await post('device-send', { to: 'alice', text: 'from my phone' });
    expect(sent.status).toBe(202);
    const own = SandboxIncomingAccepted.parse(sent.body);
    expect(await inboundFor(account.id)).toContainEqual(expect.objectContaining({ accountId: account.id, externalId: own.externalId }));

    const theirs = SandboxIncomingAccepted.parse((await post('incoming', { from: 'alice', text: 'helo' })).body);
    for (const [action, json] of [
      ['edit', { externalId: theirs.externalId, text: 'hello' }],
      ['react', { externalId: own.externalId, from: 'alice', emoji: '👍' }],
      ['react', { externalId: own.externalId, from: 'alice', emoji: '' }],
      ['revoke', { externalId: theirs.externalId }],
      ['read-on-phone', { chat: 'alice' }],
    ] as const) {
      const res = await post(action, json);
      expect({ action, status: res.status, body: res.body }).toEqual({ action, status: 202, body: {} });
    }
  });

  it('validates the phone and contact actions, naming each field', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    const paths = async (action: string, json: unknown) =>
      detailPaths(expectApiError(await h.request('POST', `/v1/sandbox/accounts/${account.id}/${action}`, { key: keyA, json }), 400, 'validation_failed')).sort();
    expect(await paths('device-send', {})).toEqual(['text', 'to']);
    expect(await paths('device-send', { to: 'alice', text: 'x'.repeat(4097) })).toEqual(['text']);
    expect(await paths('edit', { text: 'x' })).toEqual(['externalId']);
    expect(await paths('edit', { externalId: 'e1', text: '' })).toEqual(['text']);
    expect(await paths('revoke', {})).toEqual(['externalId']);
    expect(await paths('react', { externalId: 'e1', emoji: '👍' })).toEqual(['from']);
    expect(await paths('react', { externalId: 'e1', from: 'alice', emoji: 'x'.repeat(33) })).toEqual(['emoji']);
    expect(await paths('read-on-phone', { chat: '' })).toEqual(['chat']);
    expect(await inboundFor(account.id)).toEqual([]);
  });

  it('lists the outbox oldest first', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    const empty = await h.request('GET', `/v1/sandbox/accounts/${account.id}/outbox`, { key: keyA });
    expect(empty.status).toBe(200);
    expect(SandboxOutbox.parse(empty.body)).toEqual({ items: [] });

    const items: SandboxOutboxItem[] = [
      { externalId: 'sbx-out-1', to: 'bob', text: 'one', at: '2026-11-24T10:00:00.000Z' },
      { externalId: 'sbx-out-2', to: 'bob', text: null, at: '2026-11-24T10:00:01.000Z' },
    ];
    await h.redis.rpush(h.keys.sandbox.outbox(account.id), ...items.map((item) => JSON.stringify(item)));
    const res = await h.request('GET', `/v1/sandbox/accounts/${account.id}/outbox`, { key: keyA });
    expect(SandboxOutbox.parse(res.body)).toEqual({ items });
  });

  it('refuses accounts of another provider with 422', async () => {
    const telegram = await h.createAccount(keyA, 'telegram');
    await h.db.accounts.setStatus(telegram.id, 'qr', null, '0');
    expectApiError(await h.request('POST', `/v1/sandbox/accounts/${telegram.id}/scan`, { key: keyA }), 422, 'unprocessable');
    const incoming = await h.request('POST', `/v1/sandbox/accounts/${telegram.id}/incoming`, { key: keyA, json: { from: 'a', text: 'b' } });
    expectApiError(incoming, 422, 'unprocessable');
    for (const [action, json] of ACTION_BODIES) {
      expectApiError(await h.request('POST', `/v1/sandbox/accounts/${telegram.id}/${action}`, { key: keyA, json }), 422, 'unprocessable');
    }
    expect(await inboundFor(telegram.id)).toEqual([]);
  });

  it('answers 404 for another tenant’s account, 401 without a key and 403 for the admin key', async () => {
    const account = await h.createAccount(keyA, 'sandbox');
    await h.db.accounts.setStatus(account.id, 'qr', null, '0');
    const base = `/v1/sandbox/accounts/${account.id}`;
    expectApiError(await h.request('POST', `${base}/scan`, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('POST', `${base}/incoming`, { key: keyB, json: { from: 'a', text: 'b' } }), 404, 'not_found');
    expectApiError(await h.request('GET', `${base}/outbox`, { key: keyB }), 404, 'not_found');
    for (const [action, json] of ACTION_BODIES) {
      expectApiError(await h.request('POST', `${base}/${action}`, { key: keyB, json }), 404, 'not_found');
    }
    expectApiError(await h.request('POST', `${base}/scan`), 401, 'unauthorized');
    expectApiError(await h.request('POST', `${base}/scan`, { key: h.env.adminKey }), 403, 'forbidden');
    expect(await inboundFor(account.id)).toEqual([]);
  });

  it('has no sandbox routes at all when SANDBOX_ENABLED=false', async () => {
    const disabled = await h.startSecondApi({ SANDBOX_ENABLED: 'false' });
    const account = await h.createAccount(keyA, 'sandbox');
    await h.db.accounts.setStatus(account.id, 'qr', null, '0');
    const base = disabled.url;
    const path = `/v1/sandbox/accounts/${account.id}`;
    expectApiError(await request(base, 'POST', `${path}/scan`, { key: keyA }), 404, 'not_found');
    expectApiError(await request(base, 'POST', `${path}/incoming`, { key: keyA, json: { from: 'a', text: 'b' } }), 404, 'not_found');
    expectApiError(await request(base, 'GET', `${path}/outbox`, { key: keyA }), 404, 'not_found');
    for (const [action, json] of ACTION_BODIES) {
      expectApiError(await request(base, 'POST', `${path}/${action}`, { key: keyA, json }), 404, 'not_found');
    }
    expect(await inboundFor(account.id)).toEqual([]);
    // The rest of the api is there.
    expect((await request(base, 'GET', `/v1/accounts/${account.id}`, { key: keyA })).status).toBe(200);
  });
});
