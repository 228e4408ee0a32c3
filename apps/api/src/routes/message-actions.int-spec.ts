import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { Chat, Message, type Account, type JobName } from '@switchboard/contracts';
import { partitionOf } from '@switchboard/queue';
import { detailPaths, expectApiError, startApiHarness, type ApiHarness } from '../test-support/api-harness';

describe('replies, edits, deletes, reactions and mark-read (tenant key)', () => {
  let h: ApiHarness;
  let keyA: string;
  let keyB: string;
  let account: Account;

  beforeAll(async () => {
    h = await startApiHarness('api-message-actions');
    keyA = (await h.createTenant('tenant-a')).apiKey;
    keyB = (await h.createTenant('tenant-b')).apiKey;
    account = await h.createAccount(keyA, 'sandbox');
  });
  afterAll(() => h.close());

  /** The jobs of one kind for an account, from its own partition queue. */
  async function jobsOf(accountId: string, name: JobName): Promise<Job[]> {
    const queue = h.producer.queue(partitionOf(accountId, h.config.PARTITIONS));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    return jobs.filter((job) => job.name === name && (job.data as { accountId: string }).accountId === accountId);
  }

  const send = (json: unknown, key = keyA, accountId = account.id) => h.request('POST', `/v1/accounts/${accountId}/messages`, { key, json });

  /** A message from a contact, stored as the worker stores it. */
  async function received(chatExternalId: string, text = 'hello'): Promise<Message> {
    const chat = await h.db.chats.ensure(account.id, chatExternalId);
    const [row] = await h.db.messages.insertIncoming([
      { id: randomUUID(), accountId: account.id, chatId: chat.id, externalId: `in-${randomUUID()}`, text, media: null, sentAt: new Date(), fence: null },
    ]);
    return Message.parse((await h.request('GET', `/v1/messages/${row!.id}`, { key: keyA })).body);
  }

  /** A message sent through the API and acknowledged by the provider. */
  async function sentThroughApi(json: Record<string, unknown>): Promise<Message> {
    const queued = Message.parse((await send(json)).body);
    await h.db.messages.markManySent([{ id: queued.id, externalId: `out-${randomUUID()}`, sentAt: new Date(), fence: '0' }]);
    return Message.parse((await h.request('GET', `/v1/messages/${queued.id}`, { key: keyA })).body);
  }

  describe('replyTo', () => {
    it('stores the reply with the provider id of the message it answers', async () => {
      const original = await received('rita');
      const res = await send({ chatId: original.chatId, text: 'answer', replyTo: original.id });
      expect(res.status).toBe(202);
      const reply = Message.parse(res.body);
      expect(reply).toMatchObject({ origin: 'api', type: 'text', replyTo: { messageId: original.id, externalId: original.externalId } });
      expect(Message.parse((await h.request('GET', `/v1/messages/${reply.id}`, { key: keyA })).body).replyTo).toEqual(reply.replyTo);
    });

    it('refuses a reply to a message of another chat (422) or of another tenant, naming replyTo', async () => {
      const elsewhere = await received('sam');
      const chat = await h.db.chats.ensure(account.id, 'tina');
      const res = await send({ chatId: chat.id, text: 'x', replyTo: elsewhere.id });
      expect(detailPaths(expectApiError(res, 422, 'unprocessable'))).toEqual(['replyTo']);
      expect(detailPaths(expectApiError(await send({ chatId: chat.id, text: 'x', replyTo: randomUUID() }), 422, 'unprocessable'))).toEqual(['replyTo']);

      const foreignAccount = await h.createAccount(keyB, 'sandbox');
      const foreign = Message.parse((await send({ to: 'tina', text: 'theirs' }, keyB, foreignAccount.id)).body);
      expect(detailPaths(expectApiError(await send({ chatId: chat.id, text: 'x', replyTo: foreign.id }), 422, 'unprocessable'))).toEqual(['replyTo']);
      expect(detailPaths(expectApiError(await send({ chatId: chat.id, text: 'x', replyTo: 'not-a-uuid' }), 400, 'validation_failed'))).toEqual(['replyTo']);
    });

    it('refuses a reply to a message not sent yet (409 naming replyTo)', async () => {
      const queued = Message.parse((await send({ to: 'ursula', text: 'first' })).body);
      const res = await send({ chatId: queued.chatId, text: 'second', replyTo: queued.id });
      expect(detailPaths(expectApiError(res, 409, 'conflict'))).toEqual(['replyTo']);
    });
  });

  describe('PATCH /v1/messages/:id', () => {
    it('enqueues message.edit for a sent text message and answers the message as stored', async () => {
      const message = await sentThroughApi({ to: 'victor', text: 'tpyo' });
      const res = await h.request('PATCH', `/v1/messages/${message.id}`, { key: keyA, json: { text: 'typo' } });
      expect(res.status).toBe(202);
      expect(Message.parse(res.body)).toEqual(message);
      expect((await jobsOf(account.id, 'message.edit')).map((j) => j.data)).toContainEqual({ accountId: account.id, messageId: message.id, text: 'typo' });
    });

    it('refuses an incoming, unsent, media or deleted message with 409', async () => {
      const edit = (id: string) => h.request('PATCH', `/v1/messages/${id}`, { key: keyA, json: { text: 'new' } });
      expectApiError(await edit((await received('wendy')).id), 409, 'conflict');
      expectApiError(await edit(Message.parse((await send({ to: 'wendy', text: 'queued' })).body).id), 409, 'conflict');
      const media = await sentThroughApi({ to: 'wendy', media: { data: Buffer.from('img').toString('base64'), mimeType: 'image/png' } });
      expectApiError(await edit(media.id), 409, 'conflict');
      const deleted = await sentThroughApi({ to: 'wendy', text: 'gone' });
      await h.db.knex('message').where({ id: deleted.id }).update({ deleted_at: new Date(), text: null });
      expectApiError(await edit(deleted.id), 409, 'conflict');
    });

    it('validates the text, naming it', async () => {
      const message = await sentThroughApi({ to: 'xena', text: 'hi' });
      const edit = (json: unknown) => h.request('PATCH', `/v1/messages/${message.id}`, { key: keyA, json });
      expect(detailPaths(expectApiError(await edit({}), 400, 'validation_failed'))).toEqual(['text']);
      expect(detailPaths(expectApiError(await edit({ text: '' }), 400, 'validation_failed'))).toEqual(['text']);
      expect(detailPaths(expectApiError(await edit({ text: 'x'.repeat(4097) }), 400, 'validation_failed'))).toEqual(['text']);
    });
  });

  describe('DELETE /v1/messages/:id', () => {
    it('enqueues message.delete for everyone or only for the account', async () => {
      const mine = await sentThroughApi({ to: 'yara', text: 'oops' });
      const res = await h.request('DELETE', `/v1/messages/${mine.id}?forEveryone=true`, { key: keyA });
      expect(res.status).toBe(202);
      expect(Message.parse(res.body).id).toBe(mine.id);
      const theirs = await received('yara');
      expect((await h.request('DELETE', `/v1/messages/${theirs.id}`, { key: keyA })).status).toBe(202);
      expect((await h.request('DELETE', `/v1/messages/${theirs.id}?forEveryone=false`, { key: keyA })).status).toBe(202);
      const data = (await jobsOf(account.id, 'message.delete')).map((j) => j.data);
      expect(data).toEqual(
        expect.arrayContaining([
          { accountId: account.id, messageId: mine.id, forEveryone: true },
          { accountId: account.id, messageId: theirs.id, forEveryone: false },
        ]),
      );
      expect(data.filter((d) => (d as { messageId: string }).messageId === theirs.id)).toHaveLength(2);
    });

    it('refuses forEveryone on a received message (409 naming forEveryone), an unsent message (409) and a bad flag (400)', async () => {
      const theirs = await received('zoe');
      expect(detailPaths(expectApiError(await h.request('DELETE', `/v1/messages/${theirs.id}?forEveryone=true`, { key: keyA }), 409, 'conflict'))).toEqual([
        'forEveryone',
      ]);
      const queued = Message.parse((await send({ to: 'zoe', text: 'queued' })).body);
      expectApiError(await h.request('DELETE', `/v1/messages/${queued.id}`, { key: keyA }), 409, 'conflict');
      expect(detailPaths(expectApiError(await h.request('DELETE', `/v1/messages/${theirs.id}?forEveryone=yes`, { key: keyA }), 400, 'validation_failed'))).toEqual([
        'forEveryone',
      ]);
    });
  });

  describe('POST /v1/messages/:id/reactions', () => {
    it('enqueues message.react; an empty emoji removes the reaction', async () => {
      const theirs = await received('adam');
      const react = (emoji: string) => h.request('POST', `/v1/messages/${theirs.id}/reactions`, { key: keyA, json: { emoji } });
      const res = await react('👍');
      expect(res.status).toBe(202);
      expect(Message.parse(res.body)).toEqual(theirs);
      expect((await react('')).status).toBe(202);
      const data = (await jobsOf(account.id, 'message.react')).map((j) => j.data);
      expect(data).toEqual(
        expect.arrayContaining([
          { accountId: account.id, messageId: theirs.id, emoji: '👍' },
          { accountId: account.id, messageId: theirs.id, emoji: '' },
        ]),
      );
    });

    it('validates the emoji and refuses an unsent or deleted message with 409', async () => {
      const theirs = await received('bella');
      const react = (id: string, json: unknown) => h.request('POST', `/v1/messages/${id}/reactions`, { key: keyA, json });
      expect(detailPaths(expectApiError(await react(theirs.id, {}), 400, 'validation_failed'))).toEqual(['emoji']);
      expect(detailPaths(expectApiError(await react(theirs.id, { emoji: 'x'.repeat(33) }), 400, 'validation_failed'))).toEqual(['emoji']);
      const queued = Message.parse((await send({ to: 'bella', text: 'queued' })).body);
      expectApiError(await react(queued.id, { emoji: '👍' }), 409, 'conflict');
      await h.db.knex('message').where({ id: theirs.id }).update({ deleted_at: new Date(), text: null });
      expectApiError(await react(theirs.id, { emoji: '👍' }), 409, 'conflict');
    });
  });

  describe('POST /v1/accounts/:id/chats/:chatId/read', () => {
    it('enqueues chat.read and answers the chat', async () => {
      const message = await received('carl');
      const res = await h.request('POST', `/v1/accounts/${account.id}/chats/${message.chatId}/read`, { key: keyA });
      expect(res.status).toBe(202);
      expect(Chat.parse(res.body)).toMatchObject({ id: message.chatId, accountId: account.id, externalId: 'carl', phone: null });
      expect((await jobsOf(account.id, 'chat.read')).map((j) => j.data)).toContainEqual({ accountId: account.id, chatId: message.chatId });
    });

    it('answers 404 for an unknown chat, a chat of another account and another tenant’s chat', async () => {
      const read = (accountId: string, chatId: string, key = keyA) => h.request('POST', `/v1/accounts/${accountId}/chats/${chatId}/read`, { key });
      expectApiError(await read(account.id, randomUUID()), 404, 'not_found');
      expectApiError(await read(account.id, 'not-a-uuid'), 404, 'not_found');
      const other = await h.createAccount(keyA, 'sandbox');
      const otherChat = await h.db.chats.ensure(other.id, 'dora');
      expectApiError(await read(account.id, otherChat.id), 404, 'not_found');
      const mine = await h.db.chats.ensure(account.id, 'dora');
      expectApiError(await read(account.id, mine.id, keyB), 404, 'not_found');
      expect(await jobsOf(other.id, 'chat.read')).toEqual([]);
      expect((await jobsOf(account.id, 'chat.read')).filter((j) => (j.data as { chatId: string }).chatId === mine.id)).toEqual([]);
    });
  });

  it('answers 404 for another tenant’s message on every action, and enqueues nothing', async () => {
    const message = await sentThroughApi({ to: 'eve', text: 'secret' });
    const before = await Promise.all((['message.edit', 'message.delete', 'message.react'] as const).map((n) => jobsOf(account.id, n)));
    expectApiError(await h.request('PATCH', `/v1/messages/${message.id}`, { key: keyB, json: { text: 'x' } }), 404, 'not_found');
    expectApiError(await h.request('DELETE', `/v1/messages/${message.id}?forEveryone=true`, { key: keyB }), 404, 'not_found');
    expectApiError(await h.request('POST', `/v1/messages/${message.id}/reactions`, { key: keyB, json: { emoji: '👍' } }), 404, 'not_found');
    expectApiError(await h.request('PATCH', `/v1/messages/${randomUUID()}`, { key: keyA, json: { text: 'x' } }), 404, 'not_found');
    expectApiError(await h.request('DELETE', `/v1/messages/not-a-uuid`, { key: keyA }), 404, 'not_found');
    expectApiError(await h.request('PATCH', `/v1/messages/${message.id}`, { json: { text: 'x' } }), 401, 'unauthorized');
    expectApiError(await h.request('PATCH', `/v1/messages/${message.id}`, { key: h.env.adminKey, json: { text: 'x' } }), 403, 'forbidden');
    const after = await Promise.all((['message.edit', 'message.delete', 'message.react'] as const).map((n) => jobsOf(account.id, n)));
    expect(after.map((jobs) => jobs.length)).toEqual(before.map((jobs) => jobs.length));
  });
});
