import { createHash, randomUUID } from 'node:crypto';
import { ChatPage, MAX_MEDIA_BYTES, Message, MessagePage, type Account } from '@switchboard/contracts';
import { partitionOf } from '@switchboard/queue';
import { detailPaths, expectApiError, request, startApiHarness, type ApiHarness } from '../test-support/api-harness';
import { JSON_BODY_LIMIT_BYTES } from './json-body';

describe('chats and messages (tenant key)', () => {
  let h: ApiHarness;
  let keyA: string;
  let keyB: string;
  let account: Account;

  beforeAll(async () => {
    h = await startApiHarness('api-messages');
    keyA = (await h.createTenant('tenant-a')).apiKey;
    keyB = (await h.createTenant('tenant-b')).apiKey;
    account = await h.createAccount(keyA, 'sandbox');
  });
  afterAll(() => h.close());

  const queueOf = (accountId: string) => h.producer.queue(partitionOf(accountId, h.config.PARTITIONS));
  const send = (json: unknown, options: { key?: string; headers?: Record<string, string>; accountId?: string } = {}) =>
    h.request('POST', `/v1/accounts/${options.accountId ?? account.id}/messages`, { key: options.key ?? keyA, json, headers: options.headers });

  /** Follows nextCursor to the end, returning the ids page by page. */
  async function pagesOf(path: string, cursorName: 'cursor' | 'before', key: string): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await h.request('GET', `${path}${cursor ? `&${cursorName}=${encodeURIComponent(cursor)}` : ''}`, { key });
      expect(res.status).toBe(200);
      const page = (cursorName === 'cursor' ? ChatPage : MessagePage).parse(res.body);
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  }

  it('pages chats by latest activity with cursors, chats without activity last', async () => {
    const own = await h.createAccount(keyA, 'sandbox');
    const base = Date.parse('2026-11-20T10:00:00Z');
    const chats = await h.db.chats.recordActivity(
      [0, 1, 2, 3].map((i) => ({ accountId: own.id, externalId: `contact-${i}`, title: `Contact ${i}`, kind: 'private' as const, at: new Date(base + i * 60_000), unreadDelta: 1 })),
    );
    const idle = await h.db.chats.ensure(own.id, 'idle-contact');
    const byActivity = [...chats].sort((a, b) => b.lastMessageAt!.getTime() - a.lastMessageAt!.getTime()).map((c) => c.id);

    const pages = await pagesOf(`/v1/accounts/${own.id}/chats?limit=2`, 'cursor', keyA);
    expect(pages).toEqual([byActivity.slice(0, 2), byActivity.slice(2, 4), [idle.id]]);

    const first = ChatPage.parse((await h.request('GET', `/v1/accounts/${own.id}/chats?limit=50&cursor=`, { key: keyA })).body);
    expect(first.items[0]).toMatchObject({ accountId: own.id, externalId: 'contact-3', title: 'Contact 3', kind: 'private', unreadCount: 1 });
    expect(first.nextCursor).toBeNull();
  });

  it('pages a chat’s messages newest first with `before`', async () => {
    const [chat] = await h.db.chats.recordActivity([{ accountId: account.id, externalId: 'pager', title: null, kind: 'private', at: new Date(), unreadDelta: 0 }]);
    const inserted = [];
    for (let i = 0; i < 5; i++) {
      inserted.push(
        ...(await h.db.messages.insertIncoming([
          { id: randomUUID(), accountId: account.id, chatId: chat!.id, externalId: `ext-${i}`, text: `hello ${i}`, media: null, sentAt: new Date(), fence: null },
        ])),
      );
    }
    const newestFirst = inserted.map((m) => m.id).reverse();
    const pages = await pagesOf(`/v1/accounts/${account.id}/chats/${chat!.id}/messages?limit=2`, 'before', keyA);
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);

    const page = MessagePage.parse((await h.request('GET', `/v1/accounts/${account.id}/chats/${chat!.id}/messages`, { key: keyA })).body);
    expect(page.items[0]).toMatchObject({ direction: 'in', status: 'received', text: 'hello 4', externalId: 'ext-4', media: null, error: null });
  });

  it('refuses a bad cursor or limit, naming the parameter', async () => {
    const own = await h.createAccount(keyA, 'sandbox');
    const chat = await h.db.chats.ensure(own.id, 'someone');
    const bad = (path: string) => h.request('GET', path, { key: keyA });
    expect(detailPaths(expectApiError(await bad(`/v1/accounts/${own.id}/chats?cursor=garbage`), 400, 'validation_failed'))).toEqual(['cursor']);
    expect(detailPaths(expectApiError(await bad(`/v1/accounts/${own.id}/chats?limit=0`), 400, 'validation_failed'))).toEqual(['limit']);
    expect(detailPaths(expectApiError(await bad(`/v1/accounts/${own.id}/chats?limit=abc`), 400, 'validation_failed'))).toEqual(['limit']);
    const messages = `/v1/accounts/${own.id}/chats/${chat.id}/messages`;
    expect(detailPaths(expectApiError(await bad(`${messages}?before=garbage`), 400, 'validation_failed'))).toEqual(['before']);
    expect(detailPaths(expectApiError(await bad(`${messages}?limit=201`), 400, 'validation_failed'))).toEqual(['limit']);
  });

  it('sends to a new address: the chat is created, the message queued, and a message.send job with id = message id lands in the account’s partition', async () => {
    const res = await send({ to: '+15550001111', text: 'hello' });
    expect(res.status).toBe(202);
    const message = Message.parse(res.body);
    expect(message).toMatchObject({ accountId: account.id, direction: 'out', origin: 'api', type: 'text', status: 'queued', text: 'hello', media: null, externalId: null, error: null, sentAt: null });
    expect(message).toMatchObject({ replyTo: null, forwarded: false, reactions: [], editedAt: null, deletedAt: null });

    const chat = await h.db.chats.findByExternalId(account.id, '+15550001111');
    expect(chat?.id).toBe(message.chatId);
    const job = await queueOf(account.id).getJob(message.id);
    expect(job?.name).toBe('message.send');
    expect(job?.data).toEqual({ accountId: account.id, messageId: message.id });

    const again = await send({ chatId: message.chatId, text: 'second' });
    expect(again.status).toBe(202);
    expect(Message.parse(again.body).chatId).toBe(message.chatId);
  });

  it('returns the first message for a repeated Idempotency-Key and leaves exactly one job', async () => {
    const own = await h.createAccount(keyA, 'sandbox');
    const queue = queueOf(own.id);
    const waitingBefore = (await queue.getJobCounts('waiting')).waiting ?? 0;
    const headers = { 'Idempotency-Key': `order-${randomUUID()}` };
    const first = Message.parse((await send({ to: 'bob', text: 'once' }, { accountId: own.id, headers })).body);
    const repeat = await send({ to: 'bob', text: 'once' }, { accountId: own.id, headers });
    expect(repeat.status).toBe(202);
    expect(Message.parse(repeat.body)).toEqual(first);

    expect((await queue.getJobCounts('waiting')).waiting).toBe(waitingBefore + 1);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.filter((j) => (j.data as { accountId: string }).accountId === own.id).map((j) => j.id)).toEqual([first.id]);
    expect(await h.db.knex('message').where({ account_id: own.id }).count('* as n').first()).toEqual({ n: '1' });

    const sameChatOtherAddress = await send({ chatId: first.chatId, text: 'once' }, { accountId: own.id, headers });
    expect(Message.parse(sameChatOtherAddress.body)).toEqual(first);
    const otherText = await send({ to: 'bob', text: 'twice' }, { accountId: own.id, headers });
    expect(detailPaths(expectApiError(otherText, 409, 'conflict'))).toEqual(['Idempotency-Key']);
    const otherChat = await send({ to: 'carol', text: 'once' }, { accountId: own.id, headers });
    expect(detailPaths(expectApiError(otherChat, 409, 'conflict'))).toEqual(['Idempotency-Key']);
    expect(await h.db.knex('message').where({ account_id: own.id }).count('* as n').first()).toEqual({ n: '1' });

    const tooLong = await send({ to: 'bob', text: 'x' }, { accountId: own.id, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    expect(detailPaths(expectApiError(tooLong, 400, 'validation_failed'))).toEqual(['Idempotency-Key']);
  });

  it('refuses invalid sends naming the field', async () => {
    const chat = await h.db.chats.ensure(account.id, 'carol');
    const paths = async (json: unknown) => detailPaths(expectApiError(await send(json), 400, 'validation_failed'));
    expect(await paths({ chatId: chat.id, to: 'carol', text: 'x' })).toEqual(['chatId']);
    expect(await paths({ text: 'x' })).toEqual(['chatId']);
    expect(await paths({ to: 'carol' })).toEqual(['text']);
    expect(await paths({ to: 'carol', text: 'x'.repeat(4097) })).toEqual(['text']);
    expect(await paths({ to: 'carol', media: { data: 'not base64!', mimeType: 'image/png' } })).toEqual(['media.data']);
    expect(await paths({ to: 'carol', media: { data: 'aGk=', mimeType: 'png' } })).toEqual(['media.mimeType']);
    expect((await send({ to: 'carol', text: 'x'.repeat(4096) })).status).toBe(202);
  });

  it('answers 404 for a chat of another account and for another tenant’s account, chat and message', async () => {
    const other = await h.createAccount(keyA, 'sandbox');
    const otherChat = await h.db.chats.ensure(other.id, 'dave');
    expectApiError(await send({ chatId: otherChat.id, text: 'x' }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/accounts/${account.id}/chats/${otherChat.id}/messages`, { key: keyA }), 404, 'not_found');

    const message = Message.parse((await send({ to: 'erin', text: 'private' })).body);
    expectApiError(await h.request('GET', `/v1/accounts/${account.id}/chats`, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/accounts/${account.id}/chats/${message.chatId}/messages`, { key: keyB }), 404, 'not_found');
    expectApiError(await send({ to: 'erin', text: 'x' }, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/messages/${message.id}`, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/messages/${randomUUID()}`, { key: keyA }), 404, 'not_found');

    const mine = await h.request('GET', `/v1/messages/${message.id}`, { key: keyA });
    expect(mine.status).toBe(200);
    expect(Message.parse(mine.body)).toEqual(message);
  });

  it('stores media content-addressed and serves it only to the tenant whose message references it', async () => {
    const bytes = Buffer.from('\x89PNG\r\n\x1a\n not really a png');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const res = await send({ to: 'frank', text: 'look', media: { data: bytes.toString('base64'), mimeType: 'image/png', filename: 'shot.png' } });
    expect(res.status).toBe(202);
    const message = Message.parse(res.body);
    expect(message.media).toEqual({ mimeType: 'image/png', filename: 'shot.png', size: bytes.length, url: `/v1/media/${sha}`, state: 'ready' });
    expect(message).toMatchObject({ type: 'image', text: 'look', origin: 'api' });

    const download = await fetch(`${h.api.url}/v1/media/${sha}`, { headers: { authorization: `Bearer ${keyA}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''shot.png");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    expectApiError(await h.request('GET', `/v1/media/${sha}`, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('GET', `/v1/media/${sha}`), 401, 'unauthorized');
    expectApiError(await h.request('GET', `/v1/media/${'0'.repeat(64)}`, { key: keyA }), 404, 'not_found');
    expectApiError(await h.request('GET', '/v1/media/..%2F..%2Fetc%2Fpasswd', { key: keyA }), 404, 'not_found');
  });

  it('answers 413 naming media.data when the media decodes to more than 16 MB', async () => {
    const data = Buffer.alloc(MAX_MEDIA_BYTES + 1, 1).toString('base64');
    expect(data.length).toBeLessThan(JSON_BODY_LIMIT_BYTES);
    const res = await send({ to: 'grace', media: { data, mimeType: 'application/octet-stream' } });
    expect(detailPaths(expectApiError(res, 413, 'payload_too_large'))).toEqual(['media.data']);

    const atLimit = Buffer.alloc(MAX_MEDIA_BYTES, 2).toString('base64');
    const ok = await send({ to: 'grace', media: { data: atLimit, mimeType: 'application/octet-stream' } });
    expect(ok.status).toBe(202);
    expect(Message.parse(ok.body).media?.size).toBe(MAX_MEDIA_BYTES);
    expect(Message.parse(ok.body).type).toBe('document');
  });

  it('answers 413 for a body beyond the JSON limit', async () => {
    const raw = JSON.stringify({ to: 'heidi', text: 'x'.repeat(JSON_BODY_LIMIT_BYTES) });
    const res = await h.request('POST', `/v1/accounts/${account.id}/messages`, { key: keyA, raw });
    expectApiError(res, 413, 'payload_too_large');
  });

  it('marks the message failed and answers 503 when the queue is unreachable', async () => {
    const offline = await h.startSecondApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await request(offline.url, 'POST', `/v1/accounts/${account.id}/messages`, { key: keyA, json: { to: 'ivan', text: 'lost?' } });
    expectApiError(res, 503, 'unavailable');
    const chat = await h.db.chats.findByExternalId(account.id, 'ivan');
    const page = MessagePage.parse((await h.request('GET', `/v1/accounts/${account.id}/chats/${chat!.id}/messages`, { key: keyA })).body);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ text: 'lost?', status: 'failed', error: expect.stringMatching(/unavailable/) });
    expect(await queueOf(account.id).getJob(page.items[0]!.id)).toBeUndefined();
  });
});
