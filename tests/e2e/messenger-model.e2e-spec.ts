import { randomBytes } from 'node:crypto';
import type { Chat, ClientEvent, Message } from '@switchboard/contracts';
import { partitionOf } from '@switchboard/queue';
import { EventClient, SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';

const LEASE_TTL_MS = 2000;
const MEDIA_MAX_BYTES = 4096;

type Outbox = { kind?: string; externalId: string; to: string; text: string | null; emoji?: string; replyTo?: string | null }[];

describe('the messenger model, end to end with the sandbox (api, two workers, a Socket.IO client)', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;
  let other: Tenant;
  let accountId: string;
  let client: EventClient;

  const sandbox = async (path: string, body: unknown) => {
    const res = await system.http<{ externalId?: string }>('POST', `/v1/sandbox/accounts/${accountId}/${path}`, tenant.apiKey, body);
    if (res.status !== 202) throw new Error(`sandbox ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const api = <T>(method: string, path: string, body?: unknown, key = tenant.apiKey) => system.http<T>(method, path, key, body);
  const received = (text: string) =>
    client.until((events) => events.some((e) => e.kind === 'message.received' && (e.data as Message).text === text), `"${text}" to arrive`).then(
      () => client.received.find((e) => e.kind === 'message.received' && (e.data as Message).text === text)?.data as Message,
    );
  const updated = (messageId: string, check: (m: Message) => boolean, what: string) =>
    client
      .until((events) => events.some((e) => e.kind === 'message.updated' && (e.data as Message).id === messageId && check(e.data as Message)), what)
      .then(() => [...client.received].reverse().find((e) => e.kind === 'message.updated' && (e.data as Message).id === messageId)?.data as Message);
  const outbox = async () => (await api<{ items: Outbox }>('GET', `/v1/sandbox/accounts/${accountId}/outbox`)).body.items;
  const chats = async () => (await api<{ items: Chat[] }>('GET', `/v1/accounts/${accountId}/chats?limit=100`)).body.items;
  const messagesOf = async (chatId: string) => (await api<{ items: Message[] }>('GET', `/v1/accounts/${accountId}/chats/${chatId}/messages?limit=100`)).body.items;
  const sendAndWait = async (body: Record<string, unknown>) => {
    const res = await api<Message>('POST', `/v1/accounts/${accountId}/messages`, body);
    expect(res.status).toBe(202);
    await system.waitForMessages([res.body.id], ['sent', 'delivered', 'read']);
    return (await api<Message>('GET', `/v1/messages/${res.body.id}`)).body;
  };

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-model', { LEASE_TTL_MS: String(LEASE_TTL_MS), MEDIA_MAX_BYTES: String(MEDIA_MAX_BYTES) });
    await system.startApi();
    await system.startWorkers('mo-w1', 'mo-w2');
    tenant = await system.createTenant('acme');
    other = await system.createTenant('other');
    accountId = (await system.createSandboxAccount(tenant, 'model')).id;
    client = new EventClient(system.apiUrl, tenant.apiKey);
    await client.connected();
    await system.connectByQr(tenant, accountId);
  });

  afterAll(async () => {
    client?.close();
    await system?.stop();
  });

  it('stores a group message with its sender, in the group chat', async () => {
    await sandbox('incoming', { from: 'bob', fromName: 'Bob', group: { id: 'team', title: 'Team' }, text: 'hello team' });
    const message = await received('hello team');
    expect(message).toMatchObject({ direction: 'in', origin: 'contact', type: 'text', sender: { id: 'bob', name: 'Bob' } });
    const chat = (await chats()).find((c) => c.id === message.chatId);
    expect(chat).toMatchObject({ externalId: 'team', title: 'Team', kind: 'group' });
  });

  it('downloads an image that is served through its URL with the same bytes; keeps larger media as too_large', async () => {
    const bytes = randomBytes(1000);
    await sandbox('incoming', { from: 'carol', text: 'a picture', media: { data: bytes.toString('base64'), mimeType: 'image/png', filename: 'p.png' } });
    const arrived = await received('a picture');
    expect(arrived).toMatchObject({ type: 'image', media: { mimeType: 'image/png', filename: 'p.png' } });
    const ready = arrived.media?.state === 'ready' ? arrived : await updated(arrived.id, (m) => m.media?.state === 'ready', 'the picture to be downloaded');
    expect(ready.media).toMatchObject({ state: 'ready', size: 1000 });
    const download = await fetch(`${system.apiUrl}${ready.media?.url}`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    await sandbox('incoming', { from: 'carol', text: 'a big one', media: { data: randomBytes(MEDIA_MAX_BYTES + 1).toString('base64'), mimeType: 'video/mp4' } });
    const big = await received('a big one');
    const tooLarge = big.media?.state === 'too_large' ? big : await updated(big.id, (m) => m.media?.state === 'too_large', 'the big one to be kept as metadata');
    expect(tooLarge.media).toMatchObject({ state: 'too_large', url: null, mimeType: 'video/mp4' });
  });

  it('stores a message sent from the phone once as origin device, and one sent through the API once as origin api', async () => {
    await sandbox('device-send', { to: 'alice', text: 'from my phone' });
    const fromPhone = await received('from my phone');
    expect(fromPhone).toMatchObject({ direction: 'out', origin: 'device' });
    const fromApi = await sendAndWait({ to: 'alice', text: 'from the api' });
    expect(fromApi).toMatchObject({ direction: 'out', origin: 'api' });
    const inChat = await messagesOf(fromApi.chatId);
    expect(inChat.filter((m) => m.text === 'from my phone').map((m) => m.origin)).toEqual(['device']);
    expect(inChat.filter((m) => m.text === 'from the api').map((m) => m.origin)).toEqual(['api']);
    expect(fromPhone.chatId).toBe(fromApi.chatId);
  });

  it('shows a contact’s edit, revoke and reaction as message.updated, and REST agrees', async () => {
    await sandbox('incoming', { from: 'erin', text: 'first draft' });
    const draft = await received('first draft');
    await sandbox('edit', { externalId: draft.externalId, text: 'second draft' });
    const edited = await updated(draft.id, (m) => m.text === 'second draft', 'the edit');
    expect(edited.editedAt).not.toBeNull();
    expect((await api<Message>('GET', `/v1/messages/${draft.id}`)).body).toMatchObject({ text: 'second draft', editedAt: edited.editedAt });

    const ours = await sendAndWait({ to: 'erin', text: 'nice' });
    await sandbox('react', { externalId: ours.externalId, from: 'erin', emoji: '👍' });
    const reacted = await updated(ours.id, (m) => m.reactions.length === 1, 'the reaction');
    expect(reacted.reactions).toEqual([expect.objectContaining({ emoji: '👍', sender: expect.objectContaining({ id: 'erin' }) })]);

    await sandbox('revoke', { externalId: draft.externalId });
    const revoked = await updated(draft.id, (m) => m.deletedAt !== null, 'the revoke');
    expect(revoked).toMatchObject({ text: null, media: null });
    expect((await api<Message>('GET', `/v1/messages/${draft.id}`)).body).toMatchObject({ text: null, deletedAt: revoked.deletedAt });
  });

  it('carries edit, delete for everyone, react, reply and mark-read through the API to the network, and updates the message', async () => {
    const original = await sendAndWait({ to: 'frank', text: 'typo' });
    expect((await api('PATCH', `/v1/messages/${original.id}`, { text: 'fixed' })).status).toBe(202);
    await updated(original.id, (m) => m.text === 'fixed' && m.editedAt !== null, 'our edit');

    expect((await api('POST', `/v1/messages/${original.id}/reactions`, { emoji: '❤️' })).status).toBe(202);
    await updated(original.id, (m) => m.reactions.some((r) => r.emoji === '❤️'), 'our reaction');

    const reply = await sendAndWait({ chatId: original.chatId, text: 'and a reply', replyTo: original.id });
    expect(reply.replyTo).toEqual({ messageId: original.id, externalId: original.externalId });

    await sandbox('incoming', { from: 'frank', text: 'unread one' });
    await received('unread one');
    expect((await api('POST', `/v1/accounts/${accountId}/chats/${original.chatId}/read`)).status).toBe(202);
    await client.until((events) => events.some((e) => e.kind === 'chat.updated' && (e.data as Chat).id === original.chatId && (e.data as Chat).unreadCount === 0), 'the chat read');

    expect((await api('DELETE', `/v1/messages/${reply.id}?forEveryone=true`)).status).toBe(202);
    await updated(reply.id, (m) => m.deletedAt !== null, 'our delete for everyone');

    const items = await outbox();
    expect(items.filter((i) => i.kind === 'edit').map((i) => [i.externalId, i.text])).toContainEqual([original.externalId, 'fixed']);
    expect(items.filter((i) => i.kind === 'react').map((i) => [i.externalId, i.emoji])).toContainEqual([original.externalId, '❤️']);
    expect(items.find((i) => !i.kind && i.text === 'and a reply')?.replyTo).toBe(original.externalId);
    expect(items.filter((i) => i.kind === 'read').map((i) => i.to)).toContain('frank');
    expect(items.filter((i) => i.kind === 'revoke').map((i) => i.externalId)).toContain(reply.externalId);
  });

  it('makes one chat of one person written to as a phone and as a name', async () => {
    await sandbox('incoming', { from: 'grace', fromPhone: '+15550001234', text: 'my number is known' });
    const first = await received('my number is known');
    const byPhone = await sendAndWait({ to: '+15550001234', text: 'to the phone' });
    expect(byPhone.chatId).toBe(first.chatId);
    const again = await sendAndWait({ to: '+15550001234', text: 'to the phone again' });
    expect(again.chatId).toBe(first.chatId);
    const all = await chats();
    expect(all.filter((c) => c.externalId === '+15550001234')).toEqual([]);
    expect(all.find((c) => c.id === first.chatId)).toMatchObject({ externalId: 'grace', phone: '+15550001234' });
  });

  it('delivers what arrived while the owning worker was dead after the failover, each message once', async () => {
    const owners = await system.waitForFullOwnership(['mo-w1', 'mo-w2']);
    const victim = [...owners].find(([, partitions]) => partitions.includes(partitionOf(accountId, system.partitions)))?.[0] as string;
    const survivor = victim === 'mo-w1' ? 'mo-w2' : 'mo-w1';
    await system.worker(victim).kill9();
    const texts = ['while down 1', 'while down 2', 'while down 3'];
    for (const text of texts) await sandbox('incoming', { from: 'heidi', text });
    await system.waitForAllLeases(survivor, LEASE_TTL_MS + 10_000);
    await Promise.all(texts.map((t) => received(t)));
    await waitFor(async () => (await system.sql<{ n: number }>("select count(*)::int as n from message where text like 'while down %'"))[0]?.n === 3, {
      description: 'the three messages stored',
    });
    const counts = texts.map((t) => client.received.filter((e: ClientEvent | { kind: string }) => e.kind === 'message.received' && ((e as ClientEvent).data as Message).text === t).length);
    expect(counts).toEqual([1, 1, 1]);
  });

  it('refuses invalid input to the new routes with the field named, and hides another tenant’s messages', async () => {
    const mine = await sendAndWait({ to: 'ivan', text: 'mine' });
    const bad = await api<{ error: { code: string; details: { path: string }[] } }>('PATCH', `/v1/messages/${mine.id}`, { text: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toContain('text');
    expect((await api('POST', `/v1/messages/${mine.id}/reactions`, { emoji: 42 })).status).toBe(400);
    expect((await api('PATCH', `/v1/messages/${mine.id}`, { text: 'not yours' }, other.apiKey)).status).toBe(404);
    expect((await api('GET', `/v1/messages/${mine.id}`, undefined, other.apiKey)).status).toBe(404);
    const badSandbox = await api<{ error: { details: { path: string }[] } }>('POST', `/v1/sandbox/accounts/${accountId}/edit`, { text: 'no id' });
    expect(badSandbox.status).toBe(400);
    expect(badSandbox.body.error.details.map((d) => d.path)).toContain('externalId');
  });
});
