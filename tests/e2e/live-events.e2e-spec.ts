import type { ClientEvent, Message } from '@switchboard/contracts';
import { compareStreamIds } from '@switchboard/events';
import { EventClient } from '@switchboard/testing';
import { SwitchboardSystem, type Tenant } from '@switchboard/testing';

const kindsOf = (events: EventClient['received']) =>
  events.map((e) => (e.kind === 'account.status' ? `status:${(e.data as { status: string }).status}` : e.kind === 'message.status' ? `message:${(e.data as { status: string }).status}` : e.kind));

function expectOrderedOnce(events: EventClient['received']): void {
  const ids = events.map((e) => e.id as string);
  expect(new Set(ids).size).toBe(ids.length);
  for (let i = 1; i < ids.length; i++) expect(compareStreamIds(ids[i - 1] as string, ids[i] as string)).toBeLessThan(0);
}

describe('live events over Socket.IO (two api instances, two workers)', () => {
  let system: SwitchboardSystem;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let apiUrls: string[];
  const clients: EventClient[] = [];
  const client = (url: string, token: string, lastEventId?: string, onEvent?: (e: ClientEvent) => void) => {
    const c = new EventClient(url, token, lastEventId, onEvent);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-live-events');
    apiUrls = [await system.startApi(), await system.startApi()];
    await system.startWorkers('le-w1', 'le-w2');
    tenantA = await system.createTenant('tenant-a');
    tenantB = await system.createTenant('tenant-b');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await system?.stop();
  });

  it('shows the whole sandbox story to a client on each api instance, in order, each event once', async () => {
    const readable: Promise<number>[] = [];
    const onEvent = (event: ClientEvent) => {
      if (event.kind === 'message.received') {
        const id = (event.data as Message).id;
        readable.push(system.http('GET', `/v1/messages/${id}`, tenantA.apiKey).then((r) => r.status));
      }
    };
    const [c1, c2] = [client(apiUrls[0] as string, tenantA.apiKey, undefined, onEvent), client(apiUrls[1] as string, tenantA.apiKey)];
    const outsider = client(apiUrls[1] as string, tenantB.apiKey);
    await Promise.all([c1!.connected(), c2!.connected(), outsider.connected()]);

    const account = await system.createSandboxAccount(tenantA);
    await system.connectByQr(tenantA, account.id);
    const message = await system.send(tenantA, account.id, 'alice', 'hello');
    await system.waitForMessages([message.id], ['read']);
    await system.http('POST', `/v1/sandbox/accounts/${account.id}/incoming`, tenantA.apiKey, { from: 'bob', text: 'hi' });

    const complete = (events: EventClient['received']) => events.some((e) => e.kind === 'message.received') && kindsOf(events).includes('message:read');
    await Promise.all([c1!.until(complete, 'the story on api 1'), c2!.until(complete, 'the story on api 2')]);

    for (const c of [c1!, c2!]) {
      expectOrderedOnce(c.received);
      const kinds = kindsOf(c.received);
      const story = ['status:connecting', 'status:qr', 'account.qr', 'status:connected', 'message:sent', 'message:delivered', 'message:read', 'message.received'];
      expect(kinds.filter((k) => story.includes(k))).toEqual(story);
    }
    const common = Math.min(c1!.received.length, c2!.received.length);
    expect(c2!.received.slice(0, common).map((e) => e.id)).toEqual(c1!.received.slice(0, common).map((e) => e.id));
    expect(await Promise.all(readable)).toEqual([200]);
    expect(outsider.received).toEqual([]);
  });

  it('replays exactly the 50 missed events in order after a reconnect with lastEventId, then goes live', async () => {
    const account = await system.createSandboxAccount(tenantA, 'replay');
    await system.connectByQr(tenantA, account.id);
    const first = client(apiUrls[0] as string, tenantA.apiKey);
    await first.connected();
    await system.http('POST', `/v1/sandbox/accounts/${account.id}/incoming`, tenantA.apiKey, { from: 'warm', text: 'warm-up' });
    await first.until((events) => events.some((e) => e.kind === 'message.received'), 'the warm-up message');
    await first.until((events) => events.some((e) => e.kind === 'chat.updated'), 'its chat update');
    const lastSeen = first.lastId() as string;
    first.close();

    // 25 incoming messages, one at a time: each is a message.received and a chat.updated.
    for (let i = 0; i < 25; i++) {
      await system.http('POST', `/v1/sandbox/accounts/${account.id}/incoming`, tenantA.apiKey, { from: `sender-${i}`, text: `missed-${i}` });
      await system.events.until(
        (events) =>
          events.some((e) => e.kind === 'message.received' && (e.data as Message).text === `missed-${i}`) &&
          events.some((e) => e.kind === 'chat.updated' && (e.data as { externalId: string }).externalId === `sender-${i}`),
        `the events of missed-${i}`,
      );
    }
    const missed = system.events.events.filter((e) => e.tenantId === tenantA.id && compareStreamIds(e.id, lastSeen) > 0);
    expect(missed).toHaveLength(50);

    const again = client(apiUrls[1] as string, tenantA.apiKey, lastSeen);
    await again.connected();
    await again.until((events) => events.length >= 50, 'the 50 replayed events');
    expect(again.received.slice(0, 50).map((e) => e.id)).toEqual(missed.map((e) => e.id));
    await system.http('POST', `/v1/sandbox/accounts/${account.id}/incoming`, tenantA.apiKey, { from: 'live', text: 'live-after-replay' });
    await again.until((events) => events.some((e) => e.kind === 'message.received' && (e.data as Message).text === 'live-after-replay'), 'the live event');
    expectOrderedOnce(again.received);
  });

  it('sends sync.reset when lastEventId is older than the stream keeps', async () => {
    const old = system.events.events[0]?.id as string;
    await system.redis.xtrim(system.keys.events, 'MAXLEN', 0);
    const c = client(apiUrls[0] as string, tenantA.apiKey, old);
    await c.connected();
    await c.until((events) => events.length > 0, 'sync.reset');
    expect(c.received[0]?.kind).toBe('sync.reset');
  });

  it('sends sync.reset when lastEventId is ahead of the stream, then delivers live events', async () => {
    const account = await system.createSandboxAccount(tenantA, 'ahead');
    const c = client(apiUrls[1] as string, tenantA.apiKey, `${Date.now() + 86_400_000}-0`);
    await c.connected();
    await c.until((events) => events.some((e) => e.kind === 'sync.reset'), 'sync.reset');
    await system.http('POST', `/v1/accounts/${account.id}/connect`, tenantA.apiKey, {});
    await c.until((events) => events.some((e) => e.kind === 'account.status' && e.accountId === account.id), 'a live event after the reset');
    expect(c.received[0]?.kind).toBe('sync.reset');
  });

  it.each([['garbage'], ['1764633600000'], ['12-ab']])('refuses the malformed lastEventId %j on connect, saying why', async (id) => {
    const refusal = await client(apiUrls[0] as string, tenantA.apiKey, id).refused();
    expect(refusal).toMatch(/^invalid lastEventId: must be an event id/);
  });

  it('refuses a bad token with "unauthorized" and disconnects the sockets of a revoked key', async () => {
    expect(await client(apiUrls[0] as string, 'not-a-key').refused()).toBe('unauthorized');
    const extra = await system.http<{ id: string; apiKey: string }>('POST', `/v1/tenants/${tenantB.id}/keys`, system.env.adminKey);
    expect(extra.status).toBe(201);
    const [onApi1, onApi2] = [client(apiUrls[0] as string, extra.body.apiKey), client(apiUrls[1] as string, extra.body.apiKey)];
    await Promise.all([onApi1!.connected(), onApi2!.connected()]);
    const gone = Promise.all([onApi1!.disconnected(), onApi2!.disconnected()]);
    const revoke = await system.http('DELETE', `/v1/tenants/${tenantB.id}/keys/${extra.body.id}`, system.env.adminKey);
    expect(revoke.status).toBe(204);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await client(apiUrls[1] as string, extra.body.apiKey).refused()).toBe('unauthorized');
  });
});
