import { Account, Message } from '@switchboard/contracts';
import { SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';

describe('one sandbox account, end to end (api + worker processes)', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-story');
    await system.startApi();
    await system.startWorkers('story-w1');
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('connects by QR, sends a message through sending → sent → delivered → read, in the database and in events', async () => {
    const account = Account.parse(await system.createSandboxAccount(tenant));
    await system.connectByQr(tenant, account.id);
    expect(system.events.statusesOf(account.id)).toEqual(['connecting', 'qr', 'connected']);

    const qrEvent = system.events.of(account.id, 'account.qr')[0];
    expect(qrEvent?.data).toMatchObject({ qr: expect.any(String), dataUrl: expect.stringMatching(/^data:image\/png;base64,/) });
    const [stored] = await system.sql<{ status: string; profile: unknown }>('select status, profile from account where id = $1', [account.id]);
    expect(stored?.status).toBe('connected');
    expect(stored?.profile).toMatchObject({ name: 'Sandbox User' });

    const message = Message.parse(await system.send(tenant, account.id, 'alice', 'hello'));
    expect(message.status).toBe('queued');
    await system.waitForMessages([message.id], ['read']);
    const statuses = system.events
      .of(account.id, 'message.status')
      .filter((e) => (e.data as { messageId: string }).messageId === message.id)
      .map((e) => (e.data as { status: string }).status);
    expect(statuses).toEqual(['sending', 'sent', 'delivered', 'read']);

    const [row] = await system.sql<{ status: string; external_id: string }>('select status, external_id from message where id = $1', [message.id]);
    expect(row).toMatchObject({ status: 'read', external_id: expect.stringMatching(/^sbx-out-/) });
    const fetched = await system.http<Message>('GET', `/v1/messages/${message.id}`, tenant.apiKey);
    expect(fetched.body).toMatchObject({ status: 'read', externalId: row?.external_id });
    expect(await system.outbox(account.id)).toHaveLength(1);
  });

  it('stores an incoming message once, with its chat, and publishes it', async () => {
    const account = await system.createSandboxAccount(tenant, 'inbound');
    await system.connectByQr(tenant, account.id);
    const sent = await system.http('POST', `/v1/sandbox/accounts/${account.id}/incoming`, tenant.apiKey, { from: 'bob', text: 'hi there', fromName: 'Bob' });
    expect(sent.status).toBe(202);
    await system.events.until((events) => events.some((e) => e.accountId === account.id && e.kind === 'message.received'), 'message.received');
    const received = system.events.of(account.id, 'message.received')[0]?.data as Message;
    expect(received).toMatchObject({ direction: 'in', text: 'hi there', status: 'received' });
    const chats = await system.http<{ items: { title: string; unreadCount: number; externalId: string }[] }>('GET', `/v1/accounts/${account.id}/chats`, tenant.apiKey);
    expect(chats.body.items).toEqual([expect.objectContaining({ externalId: 'bob', title: 'Bob', unreadCount: 1 })]);
  });

  it('logs in by phone with code and 2FA password', async () => {
    const account = await system.createSandboxAccount(tenant, 'phone');
    const start = system.events.events.length;
    const connect = await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, { method: 'phone', phone: '+15550000010' });
    expect(connect.status).toBe(202);
    await system.waitForStatus(account.id, 'code_required', start);
    expect((await system.http('POST', `/v1/accounts/${account.id}/login`, tenant.apiKey, { code: '12345' })).status).toBe(202);
    await system.waitForStatus(account.id, 'password_required', start);
    expect((await system.http('POST', `/v1/accounts/${account.id}/login`, tenant.apiKey, { password: 'sandbox' })).status).toBe(202);
    await system.waitForStatus(account.id, 'connected', start);
    const steps = system.events.of(account.id, 'account.login_required').map((e) => (e.data as { step: string }).step);
    expect(steps).toEqual(['code', 'password']);
  });

  it('restarts a pending login when connect asks for another method', async () => {
    const account = await system.createSandboxAccount(tenant, 'switch');
    const start = system.events.events.length;
    await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, {});
    await system.waitForStatus(account.id, 'qr', start);
    await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, { method: 'pairing_code', phone: '+15550000001' });
    await system.events.until((events) => events.slice(start).some((e) => e.accountId === account.id && e.kind === 'account.pairing_code'), 'a pairing code');
    expect((await system.http('POST', `/v1/sandbox/accounts/${account.id}/scan`, tenant.apiKey)).status).toBe(202);
    await system.waitForStatus(account.id, 'connected', start);
  });

  it('disconnects keeping the session (reconnect needs no QR), logs out (next connect shows a QR), and deletes', async () => {
    const account = await system.createSandboxAccount(tenant, 'lifecycle');
    await system.connectByQr(tenant, account.id);

    let mark = system.events.events.length;
    expect((await system.http('POST', `/v1/accounts/${account.id}/disconnect`, tenant.apiKey, {})).status).toBe(202);
    await system.waitForStatus(account.id, 'disconnected', mark);
    mark = system.events.events.length;
    expect((await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, {})).status).toBe(202);
    await system.waitForStatus(account.id, 'connected', mark);
    expect(system.events.events.slice(mark).filter((e) => e.accountId === account.id && e.kind === 'account.qr')).toEqual([]);

    mark = system.events.events.length;
    expect((await system.http('POST', `/v1/accounts/${account.id}/disconnect`, tenant.apiKey, { logout: true })).status).toBe(202);
    await system.waitForStatus(account.id, 'disconnected', mark);
    expect(await system.sql('select 1 from account_session where account_id = $1', [account.id])).toEqual([]);
    mark = system.events.events.length;
    expect((await system.http('POST', `/v1/accounts/${account.id}/connect`, tenant.apiKey, {})).status).toBe(202);
    await system.waitForStatus(account.id, 'qr', mark);

    expect((await system.http('DELETE', `/v1/accounts/${account.id}`, tenant.apiKey)).status).toBe(202);
    await waitFor(async () => (await system.sql('select 1 from account where id = $1', [account.id])).length === 0, { description: 'the account row to go' });
    expect((await system.http('GET', `/v1/accounts/${account.id}`, tenant.apiKey)).status).toBe(404);
    expect(await system.outbox(account.id)).toEqual([]);
  });
});
