import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from '@switchboard/queue';
import { NotConnectedError, PermanentSendError, type IncomingMessage, type SessionSink } from '../messenger-session';
import { deletePrefix, recordingSink, TEST_REDIS_URL, waitFor } from './sandbox-int-support';
import { SandboxNetwork, SandboxActionRefusedError, SandboxMessageNotFoundError } from './sandbox-network';
import { SandboxRuntime } from './sandbox-runtime';
import type { SandboxSession } from './sandbox-session';

/** The messenger model played by the simulated network: network → partition stream → reader → session → sink. */
describe('the sandbox messenger model against Redis', () => {
  const prefix = `sbt-sandbox_model_${randomBytes(4).toString('hex')}`;
  const keys: RedisKeys = redisKeys(prefix);
  let redis: Redis;
  let runtime: SandboxRuntime;
  let network: SandboxNetwork;
  let errors: unknown[] = [];
  const sessions: SandboxSession[] = [];

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    runtime = new SandboxRuntime({
      redis,
      blockingRedis: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }),
      keys,
      partitions: 1,
      timings: { qrTtlMs: 60_000, qrMaxRefreshes: 0, ackDelayMs: 60_000, catchUpRetryMs: 100 },
      clientTtlMs: 10_000,
      onError: (error) => errors.push(error),
    });
    network = new SandboxNetwork({ redis, keys, partitions: 1 });
    runtime.start();
    await runtime.partitionStarted(0);
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.stop({ logout: false });
    expect(errors).toEqual([]);
    errors = [];
  });

  afterAll(async () => {
    await runtime.stop();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  interface Client {
    session: SandboxSession;
    events: string[];
    messages: IncomingMessage[];
    saved: () => Buffer;
    /** The last catch-up cursor the session reported. */
    cursor: () => string | null;
  }

  function client(accountId: string, override: Partial<SessionSink> = {}): Client {
    const events: string[] = [];
    const messages: IncomingMessage[] = [];
    const sink = recordingSink(events, {
      messages: async (batch) => {
        if (override.messages) await override.messages(batch);
        messages.push(...batch);
        events.push(`messages ${batch.map((m) => m.externalId).join(',')}`);
      },
    });
    const session = runtime.create(accountId, sink, { workerId: 'worker-a', fence: '1' });
    sessions.push(session);
    const cursor = () => [...events].reverse().find((e) => e.startsWith('cursor '))?.slice('cursor '.length) ?? null;
    return { session, events, messages, saved: sink.saved, cursor };
  }

  /** A fresh QR login, the scan coming through the network as from the phone. */
  async function loggedIn(accountId: string, override?: Partial<SessionSink>): Promise<Client> {
    const c = client(accountId, override);
    await c.session.start({ method: 'qr', phone: null, storedSession: null, catchUpCursor: null });
    await network.scan(accountId);
    await waitFor(() => c.events.some((e) => e.startsWith('cursor ')), 'the login to save its catch-up cursor');
    return c;
  }

  async function restored(accountId: string, stored: Buffer, catchUpCursor: string | null, override?: Partial<SessionSink>): Promise<Client> {
    const c = client(accountId, override);
    await c.session.start({ method: 'qr', phone: null, storedSession: stored, catchUpCursor });
    return c;
  }

  const reported = (c: Client, line: string) => waitFor(() => c.events.includes(line), `"${line}" in ${JSON.stringify(c.events)}`);
  const messageOf = async (c: Client, externalId: string) => {
    await waitFor(() => c.messages.some((m) => m.externalId === externalId), `message ${externalId}`);
    return c.messages.find((m) => m.externalId === externalId) as IncomingMessage;
  };

  it('a group message names its member as the sender, and its media downloads with the same bytes', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const bytes = randomBytes(2048);
    const externalId = await network.incoming(accountId, {
      from: '@bob',
      fromName: 'Bob',
      group: { id: 'team', title: 'Team' },
      text: 'look',
      media: { data: bytes.toString('base64'), mimeType: 'image/png', filename: 'look.png' },
      replyTo: 'sbx-in-earlier',
      forwarded: true,
    });
    const message = await messageOf(c, externalId);
    expect(message).toMatchObject({
      origin: 'contact',
      chat: { externalId: 'team', title: 'Team', kind: 'group' },
      sender: { id: 'bob', name: 'Bob', phone: null },
      type: 'image',
      text: 'look',
      media: { mimeType: 'image/png', filename: 'look.png', size: 2048 },
      replyTo: 'sbx-in-earlier',
      forwarded: true,
    });
    expect((await message.media?.download())?.equals(bytes)).toBe(true);

    // The type follows the MIME type: an ogg audio is a voice note.
    const voice = await network.incoming(accountId, { from: 'bob', media: { data: 'AAAA', mimeType: 'audio/ogg' } });
    expect(await messageOf(c, voice)).toMatchObject({ type: 'voice', text: null, chat: { externalId: 'bob', kind: 'private' } });
    // Each reported once, and the cursor followed them.
    expect(c.events.filter((e) => e.startsWith('messages '))).toEqual([`messages ${externalId}`, `messages ${voice}`]);
    await waitFor(async () => c.cursor() === (await redis.xrevrange(keys.sandbox.history(accountId), '+', '-', 'COUNT', 1))[0]?.[0], 'the cursor to reach the newest event');
  });

  it('a message from the account’s phone is reported once, as device, from the account, in the canonical chat', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const externalId = await network.deviceSend(accountId, { to: '@alice', text: 'from my phone' });
    const message = await messageOf(c, externalId);
    expect(message).toMatchObject({ origin: 'device', sender: { id: `sandbox:${accountId}` }, chat: { externalId: 'alice', kind: 'private' }, text: 'from my phone' });
    const marker = await network.incoming(accountId, { from: 'alice', text: 'after' });
    await messageOf(c, marker);
    expect(c.messages.filter((m) => m.externalId === externalId)).toHaveLength(1);
  });

  it('a contact’s edit, revoke and reaction, and a read on the phone, reach the sink; unread counts follow', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const first = await network.incoming(accountId, { from: 'alice', fromName: 'Alice', text: 'helo' });
    const second = await network.incoming(accountId, { from: 'alice', text: 'oops' });
    await messageOf(c, second);
    expect(await c.session.listChats()).toEqual([expect.objectContaining({ externalId: 'alice', title: 'Alice', kind: 'private', unreadCount: 2 })]);

    await network.edit(accountId, { externalId: first, text: 'hello' });
    await reported(c, `edited alice/${first}: hello`);
    await network.revoke(accountId, { externalId: second });
    await reported(c, `revoked alice/${second}`);
    await network.react(accountId, { externalId: first, from: '@carol', emoji: '👍' });
    await reported(c, `reacted alice/${first} carol 👍`);
    await network.readOnPhone(accountId, { chat: '@alice' });
    await reported(c, 'chatRead alice');
    expect((await c.session.listChats())[0]?.unreadCount).toBe(0);

    // A contact cannot edit the account's messages; an unknown message is not found.
    const mine = await network.deviceSend(accountId, { to: 'alice', text: 'mine' });
    await expect(network.edit(accountId, { externalId: mine, text: 'x' })).rejects.toBeInstanceOf(SandboxActionRefusedError);
    await expect(network.revoke(accountId, { externalId: 'nope' })).rejects.toBeInstanceOf(SandboxMessageNotFoundError);
  });

  it('what arrives while no client runs is caught up after a restore from the cursor, each once; a fresh login replays nothing', async () => {
    const accountId = randomUUID();
    const old = await network.incoming(accountId, { from: 'alice', text: 'before the login' });
    const first = await loggedIn(accountId);
    const live = await network.incoming(accountId, { from: 'alice', text: 'live' });
    await messageOf(first, live);
    expect(first.messages.map((m) => m.externalId)).toEqual([live]);
    await waitFor(() => first.events.at(-1)?.startsWith('cursor ') === true, 'the cursor after the live message');
    const cursor = first.cursor();
    await first.session.stop({ logout: false });

    const waiting = [await network.incoming(accountId, { from: 'alice', text: 'while away 1' }), await network.incoming(accountId, { from: 'bob', text: 'while away 2' })];
    await network.readOnPhone(accountId, { chat: 'alice' });
    const second = await restored(accountId, first.saved(), cursor);
    await reported(second, 'chatRead alice');
    expect(second.messages.map((m) => m.externalId)).toEqual(waiting);
    expect(second.events.filter((e) => e.startsWith('messages '))).toHaveLength(1);
    const end = (await redis.xrevrange(keys.sandbox.history(accountId), '+', '-', 'COUNT', 1))[0]?.[0];
    await waitFor(() => second.cursor() === end, 'the cursor to reach the history end');
    expect([old, live].some((id) => second.messages.some((m) => m.externalId === id))).toBe(false);

    // Live ones after the catch-up arrive once too.
    const after = await network.incoming(accountId, { from: 'alice', text: 'after the restore' });
    await messageOf(second, after);
    expect(second.messages.map((m) => m.externalId)).toEqual([...waiting, after]);
  });

  it('a restore without a cursor catches up on the whole history', async () => {
    const accountId = randomUUID();
    const stored = (await loggedIn(accountId)).saved();
    await sessions.splice(0)[0]?.stop({ logout: false });
    const waiting = [await network.incoming(accountId, { from: 'alice', text: '1' }), await network.incoming(accountId, { from: 'alice', text: '2' })];
    const c = await restored(accountId, stored, null);
    await waitFor(() => c.messages.length === 2, 'both messages');
    expect(c.messages.map((m) => m.externalId)).toEqual(waiting);
  });

  it('stop() during a catch-up: nothing is reported after it (no cursor either), and the next client catches up from the saved cursor', async () => {
    const accountId = randomUUID();
    const first = await loggedIn(accountId);
    const cursor = first.cursor();
    await sessions.splice(0)[0]?.stop({ logout: false });
    await network.incoming(accountId, { from: 'alice', text: 'while away' });

    const restoring: Client = client(accountId, { messages: () => restoring.session.stop({ logout: false }) });
    await restoring.session.start({ method: 'qr', phone: null, storedSession: first.saved(), catchUpCursor: cursor });
    await waitFor(() => restoring.messages.length === 1, 'the caught-up message');
    await network.incoming(accountId, { from: 'alice', text: 'after the stop' });
    await network.readOnPhone(accountId, { chat: 'alice' });
    // The next client hears the read: the network delivered it, and the stopped client heard none of it.
    const next = await restored(accountId, first.saved(), cursor);
    await reported(next, 'chatRead alice');
    expect(next.messages).toHaveLength(2);
    expect(restoring.events.filter((e) => e.startsWith('cursor ') || e.startsWith('chatRead'))).toEqual([]);
    expect(restoring.messages).toHaveLength(1);
  });

  it('a rejected sink.messages keeps the cursor; the catch-up delivers the message later, and then moves it', async () => {
    const accountId = randomUUID();
    let refuse = 1;
    const c = await loggedIn(accountId, {
      messages: async () => {
        if (refuse-- > 0) throw new Error('the database is away');
      },
    });
    const before = c.cursor();
    const externalId = await network.incoming(accountId, { from: 'alice', text: 'kept' });
    await waitFor(() => errors.length > 0, 'the failure to be reported');
    expect(String(errors[0])).toContain('the database is away');
    expect(c.cursor()).toBe(before);
    const id = (await redis.xrevrange(keys.sandbox.history(accountId), '+', '-', 'COUNT', 1))[0]?.[0];
    await waitFor(() => c.cursor() === id, 'the retry to deliver it and move the cursor');
    expect(c.messages.map((m) => m.externalId)).toEqual([externalId]);
    errors = [];
  });

  it('the account’s sends and actions are recorded in the outbox with their kind; a delete for me records nothing', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const incoming = await network.incoming(accountId, { from: 'alice', text: 'hi' });
    await messageOf(c, incoming);
    const sent = await c.session.send({
      clientMessageId: 'm-1',
      to: 'alice',
      text: 'see this',
      media: { mimeType: 'image/png', filename: 'a.png', data: Buffer.from('png!') },
      replyTo: incoming,
    });
    const ref = { chatId: 'alice', externalId: sent.externalId };
    const { editedAt } = await c.session.edit(ref, 'see this!');
    await c.session.react({ chatId: 'alice', externalId: incoming }, '❤️');
    await c.session.delete(ref, { forEveryone: false });
    await c.session.delete(ref, { forEveryone: true });
    await c.session.markRead('alice');

    const outbox = await network.outbox(accountId);
    expect(outbox.map(({ kind, externalId, to, text, emoji }) => ({ kind, externalId, to, text, emoji }))).toEqual([
      { kind: undefined, externalId: sent.externalId, to: 'alice', text: 'see this', emoji: undefined },
      { kind: 'edit', externalId: sent.externalId, to: 'alice', text: 'see this!', emoji: undefined },
      { kind: 'react', externalId: incoming, to: 'alice', text: null, emoji: '❤️' },
      { kind: 'revoke', externalId: sent.externalId, to: 'alice', text: null, emoji: undefined },
      // The chat's newest message: our own send.
      { kind: 'read', externalId: sent.externalId, to: 'alice', text: null, emoji: undefined },
    ]);
    expect(outbox[0]).toMatchObject({ replyTo: incoming, media: { mimeType: 'image/png', filename: 'a.png', size: 4 }, sentBy: { workerId: 'worker-a', fence: '1' } });
    expect(outbox[1]?.at).toBe(editedAt.toISOString());
    expect((await c.session.listChats())[0]).toMatchObject({ externalId: 'alice', unreadCount: 0, lastMessageAt: new Date(sent.sentAt) });

    // Refusals a person can read: a contact's message is not the account's to edit; an unknown message.
    await expect(c.session.edit({ chatId: 'alice', externalId: incoming }, 'x')).rejects.toThrow('Only the account\'s own messages can be edited.');
    await expect(c.session.react({ chatId: 'alice', externalId: 'nope' }, '👍')).rejects.toBeInstanceOf(PermanentSendError);
  });

  it('only the account’s connected client can act: a client replaced by a newer one records nothing', async () => {
    const accountId = randomUUID();
    const older = await loggedIn(accountId);
    const sent = await older.session.send({ clientMessageId: 'm-1', to: 'alice', text: 'hi', media: null, replyTo: null });
    const newer = await restored(accountId, older.saved(), older.cursor());
    await reported(newer, 'status connected');
    await expect(older.session.react({ chatId: 'alice', externalId: sent.externalId }, '👍')).rejects.toBeInstanceOf(NotConnectedError);
    await expect(older.session.markRead('alice')).rejects.toBeInstanceOf(NotConnectedError);
    expect((await network.outbox(accountId)).map((item) => item.kind ?? 'send')).toEqual(['send']);
  });

  it('an edit after the 15-minute window is refused for good', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const sent = await c.session.send({ clientMessageId: 'm-old', to: 'alice', text: 'old', media: null, replyTo: null });
    // The message was sent 16 minutes ago, as far as the network remembers.
    await redis.hset(keys.sandbox.messages(accountId), sent.externalId, JSON.stringify({ chatId: 'alice', from: null, at: new Date(Date.now() - 16 * 60_000).toISOString() }));
    const refused = c.session.edit({ chatId: 'alice', externalId: sent.externalId }, 'new');
    await expect(refused).rejects.toBeInstanceOf(PermanentSendError);
    await expect(refused).rejects.toThrow('The edit window of this message has passed');
    expect((await network.outbox(accountId)).filter((item) => item.kind === 'edit')).toEqual([]);
  });

  it('resolves a name, @name, a known and an unknown phone, and a group: one person, one chat', async () => {
    const accountId = randomUUID();
    const c = await loggedIn(accountId);
    const fromAlice = await network.incoming(accountId, { from: 'alice', fromName: 'Alice', fromPhone: '+15551234567', text: 'hi' });
    const inGroup = await network.incoming(accountId, { from: 'alice', group: { id: 'g1', title: 'Team' }, text: 'all' });
    await messageOf(c, inGroup);
    expect((await messageOf(c, fromAlice)).chat).toEqual({ externalId: 'alice', title: 'Alice', kind: 'private', phone: '+15551234567' });

    const alice = { chatId: 'alice', kind: 'private', title: 'Alice', phone: '+15551234567' };
    expect(await c.session.resolve('alice')).toEqual(alice);
    expect(await c.session.resolve('@alice')).toEqual(alice);
    expect(await c.session.resolve('+15551234567')).toEqual(alice);
    expect(await c.session.resolve('15551234567')).toEqual(alice);
    expect(await c.session.resolve('g1')).toEqual({ chatId: 'g1', kind: 'group', title: 'Team', phone: null });
    // A phone the network has no name for: the phone is the person, the same chat each time.
    const stranger = { chatId: '+15557654321', kind: 'private', title: '+15557654321', phone: '+15557654321' };
    expect(await c.session.resolve('+15557654321')).toEqual(stranger);
    expect(await c.session.resolve('15557654321')).toEqual(stranger);
    expect(await c.session.resolve('fail-permanent')).toMatchObject({ chatId: 'fail-permanent' });
    // The phone written to from the phone lands in alice's chat.
    const fromPhone = await network.deviceSend(accountId, { to: '+15551234567', text: 'by phone' });
    expect((await messageOf(c, fromPhone)).chat.externalId).toBe('alice');
  });
});
