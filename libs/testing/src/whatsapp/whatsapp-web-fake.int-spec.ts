import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { LocalAuth, RemoteAuth, type Client, type Message, type Reaction, type Store } from 'whatsapp-web.js';
import {
  chromiumLaunchArgs,
  createWhatsAppClient,
  findChromium,
  listChromiumProcesses,
  reapChromium,
  WhatsAppWebPageMissingError,
  type WhatsAppClientOptions,
} from '@switchboard/messengers';
import { waitFor } from '../wait-for';
import { ClientEvents } from './client-events';
import type { FakeWhatsAppPage } from './fake-whatsapp-page';
import { FAKE_WHATSAPP_WEB_CHROMIUM_ARGS, FakeWhatsAppWeb } from './fake-whatsapp-web';

// The real whatsapp-web.js 1.34.7, puppeteer and Debian's Chromium against the fake page. One
// browser per client (the library launches its own); clients that only read and send share one.

const EVENTS = [
  'qr',
  'code',
  'authenticated',
  'ready',
  'message',
  'message_create',
  'message_ack',
  'message_edit',
  'message_revoke_everyone',
  'message_reaction',
  'change_state',
  'disconnected',
];
const ME = { phone: '15550001111', pushname: 'Ada Lovelace' };
const BOB = '15550002222@c.us';
const GROUP = { id: '120363000000000001@g.us', subject: 'Engines' };
const CAROL = '15550003333@c.us';

let fake: FakeWhatsAppWeb;
let cacheDirectory: string;
let sessionCount = 0;

interface Started {
  client: Client;
  events: ClientEvents;
  page: FakeWhatsAppPage;
  session: string;
  /** `initialize()`: rejects when the library destroys itself mid-way, which some tests cause. */
  initialized: Promise<unknown>;
}

const browsersOf = (session: string) => listChromiumProcesses().filter((browser) => browser.marker?.session === session);

async function startClient(options: Partial<WhatsAppClientOptions> & { webVersion?: string } = {}): Promise<Started> {
  const session = `wa-fake-test.${process.pid}.${++sessionCount}`;
  const client = await createWhatsAppClient({
    session,
    ...options,
    settings: {
      chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      chromiumArgs: FAKE_WHATSAPP_WEB_CHROMIUM_ARGS,
      webVersion: options.webVersion ?? FakeWhatsAppWeb.defaultVersion,
      webCacheDirectory: cacheDirectory,
    },
  });
  const events = new ClientEvents(client, EVENTS);
  const initialized = client.initialize().then(
    () => 'initialized',
    (error: unknown) => error,
  );
  const page = await fake.claimPage();
  return { client, events, page, session, initialized };
}

async function link(started: Started): Promise<void> {
  await waitFor(() => started.events.of('qr').length > 0, { description: 'the first QR' });
  await started.page.scan(ME);
  await waitFor(() => started.events.of('ready').length > 0, { description: 'ready' });
  await started.initialized;
}

async function stopClient(started: Started): Promise<void> {
  await started.client.destroy().catch(() => undefined);
  await started.initialized;
  await waitFor(() => browsersOf(started.session).length === 0, { description: `no Chromium left for ${started.session}` });
}

/** RemoteAuth's store in memory: the library zips the profile to `<dataPath>/<session>.zip` and says only `save({session})`. */
class MemoryStore implements Store {
  readonly saved = new Map<string, Buffer>();
  claimExists = false;
  constructor(private readonly dataPath: string) {}
  sessionExists({ session }: { session: string }): boolean {
    return this.saved.has(session) || this.claimExists;
  }
  save({ session }: { session: string }): void {
    this.saved.set(session, readFileSync(join(this.dataPath, `${session}.zip`)));
  }
  extract({ session, path }: { session: string; path: string }): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.saved.get(session)!);
  }
  delete({ session }: { session: string }): void {
    this.saved.delete(session);
  }
}

const messages = (events: ClientEvents, name: string) => events.of<[Message]>(name).map(([message]) => message);

beforeAll(async () => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'sb-wa-fake-'));
  fake = await FakeWhatsAppWeb.start({ cacheDirectory });
});

afterAll(async () => {
  // A test that failed half-way may have left its client running: no browser outlives the file.
  const prefix = `wa-fake-test.${process.pid}.`;
  const leftover = listChromiumProcesses().filter((browser) => browser.marker?.session.startsWith(prefix));
  for (const browser of leftover) await reapChromium({ session: browser.marker!.session });
  await fake?.stop();
  rmSync(cacheDirectory, { recursive: true, force: true });
});

describe('a linked client', () => {
  let linked: Started;

  beforeAll(async () => {
    linked = await startClient();
    await link(linked);
  });
  afterAll(async () => {
    if (linked) await stopClient(linked);
  });

  it('shows a QR in the library format, then authenticates and is ready with the profile', () => {
    expect(linked.events.names().filter((name) => ['qr', 'authenticated', 'ready'].includes(name))).toEqual(['qr', 'authenticated', 'ready']);
    const [[qr]] = linked.events.of<[string]>('qr');
    expect(qr.split(',')).toHaveLength(5);
    expect(linked.client.info.pushname).toBe(ME.pushname);
    expect(linked.client.info.wid._serialized).toBe(`${ME.phone}@c.us`);
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('emits an incoming private text message', async () => {
    const { id } = await linked.page.receiveMessage({ from: BOB, body: 'hello Ada' });
    const message = await waitFor(() => messages(linked.events, 'message').find((m) => m.id._serialized === id), { description: 'the message event' });
    expect(message).toMatchObject({ from: BOB, to: `${ME.phone}@c.us`, body: 'hello Ada', fromMe: false, type: 'chat' });
    expect(message.author).toBeUndefined();
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('emits an incoming group message with its author', async () => {
    const { id } = await linked.page.receiveMessage({ from: CAROL, author: CAROL, group: { ...GROUP, members: [BOB] }, body: 'meeting at 5' });
    const message = await waitFor(() => messages(linked.events, 'message').find((m) => m.id._serialized === id), { description: 'the group message' });
    expect(message).toMatchObject({ from: GROUP.id, author: CAROL, body: 'meeting at 5', fromMe: false });
    const chat = await message.getChat();
    expect(chat).toMatchObject({ isGroup: true, name: GROUP.subject });
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('hands each send to the network exactly once and echoes it as message_create', async () => {
    const before = linked.page.sends.length;
    const first = await linked.client.sendMessage(BOB, 'first answer');
    expect(linked.page.sends.length).toBe(before + 1);
    const second = await linked.client.sendMessage(BOB, 'second answer');
    expect(linked.page.sends.slice(before)).toEqual([
      expect.objectContaining({ id: first.id._serialized, to: BOB, body: 'first answer', type: 'chat' }),
      expect.objectContaining({ id: second.id._serialized, to: BOB, body: 'second answer', type: 'chat' }),
    ]);
    expect(first).toMatchObject({ fromMe: true, ack: 0, to: BOB });
    await waitFor(() => messages(linked.events, 'message_create').some((m) => m.id._serialized === second.id._serialized), { description: 'the echo of our send' });
    expect(messages(linked.events, 'message').some((m) => m.fromMe)).toBe(false);
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('reports acks: delivered, then read', async () => {
    const sent = await linked.client.sendMessage(BOB, 'did you get this?');
    await linked.page.ack(sent.id._serialized, 2);
    await linked.page.ack(sent.id._serialized, 3);
    const acks = () => linked.events.of<[Message, number]>('message_ack').filter(([m]) => m.id._serialized === sent.id._serialized);
    await waitFor(() => acks().length === 2, { description: 'two acks' });
    expect(acks().map(([, ack]) => ack)).toEqual([2, 3]);
  });

  it('emits an incoming image whose download answers the same bytes', async () => {
    const bytes = Buffer.from('\x89PNG\r\n\x1a\n fake image bytes \x00\x01\x02\xff', 'latin1');
    const { id } = await linked.page.receiveMedia({ from: BOB, mimetype: 'image/png', filename: 'cat.png', caption: 'my cat', data: bytes.toString('base64') });
    const message = await waitFor(() => messages(linked.events, 'message').find((m) => m.id._serialized === id), { description: 'the image message' });
    expect(message).toMatchObject({ hasMedia: true, type: 'image', body: 'my cat' });
    const media = await message.downloadMedia();
    expect(media).toMatchObject({ mimetype: 'image/png', filename: 'cat.png', filesize: bytes.length });
    expect(Buffer.from(media.data, 'base64').equals(bytes)).toBe(true);
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('emits reactions to a message', async () => {
    const sent = await linked.client.sendMessage(BOB, 'react to this');
    await linked.page.react(sent.id._serialized, '👍', BOB);
    const reaction = await waitFor(() => linked.events.of<[Reaction]>('message_reaction').map(([r]) => r).find((r) => r.msgId._serialized === sent.id._serialized), {
      description: 'message_reaction',
    });
    expect(reaction).toMatchObject({ reaction: '👍', senderId: BOB });
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('emits a message written on the phone as message_create from me, never as message', async () => {
    const { id } = await linked.page.sendFromPhone({ to: BOB, body: 'typed on the phone' });
    const created = await waitFor(() => messages(linked.events, 'message_create').find((m) => m.id._serialized === id), { description: 'message_create' });
    expect(created).toMatchObject({ fromMe: true, from: `${ME.phone}@c.us`, to: BOB, body: 'typed on the phone' });
    expect(linked.page.sends.some((send) => send.id === id)).toBe(false);
    expect(messages(linked.events, 'message').some((m) => m.id._serialized === id)).toBe(false);
  });

  it('emits edits and deletions for everyone', async () => {
    const { id } = await linked.page.receiveMessage({ from: BOB, body: 'see you at 4' });
    await linked.page.edit(id, 'see you at 5');
    const [edited, newBody, previousBody] = await waitFor(() => linked.events.of<[Message, string, string]>('message_edit').find(([m]) => m.id._serialized === id), {
      description: 'message_edit',
    });
    expect([edited.body, newBody, previousBody]).toEqual(['see you at 5', 'see you at 5', 'see you at 4']);

    await linked.page.revoke(id);
    const [revoked] = await waitFor(() => linked.events.of<[Message, Message | undefined]>('message_revoke_everyone').find(([m]) => m.id._serialized === id), {
      description: 'message_revoke_everyone',
    });
    expect(revoked.type).toBe('revoked');
    expect(linked.page.unexpectedMissing()).toEqual([]);
  });

  it('lists chats with their unread counts and last message', async () => {
    const dave = '15550004444@c.us';
    await linked.page.receiveMessage({ from: dave, body: 'first' });
    const { id } = await linked.page.receiveMessage({ from: dave, body: 'second' });
    const chats = await linked.client.getChats();
    const chat = chats.find((one) => one.id._serialized === dave);
    expect(chat).toMatchObject({ unreadCount: 2, isGroup: false });
    expect(chat!.lastMessage?.id._serialized).toBe(id);
    expect(chats.map((one) => one.id._serialized)).toEqual(expect.arrayContaining([BOB, GROUP.id, dave]));
  });

  it('fails loudly, naming it, when the library needs a module the fake lacks', async () => {
    await expect(linked.client.setStatus('busy')).rejects.toThrow(/does not implement module WAWebContactStatusBridge/);
    await waitFor(() => linked.page.missing.includes('module WAWebContactStatusBridge'), { description: 'the recorded gap' });
    expect(linked.page.unexpectedMissing()).toEqual(['module WAWebContactStatusBridge']);
  });
});

describe('login and loss of the session', () => {
  const started: Started[] = [];
  const start = async (options: Parameters<typeof startClient>[0] = {}) => {
    const one = await startClient(options);
    started.push(one);
    return one;
  };
  afterEach(async () => {
    for (const one of started.splice(0)) await stopClient(one);
  });

  it('shows a new QR when WhatsApp refreshes it', async () => {
    const one = await start();
    await waitFor(() => one.events.of('qr').length === 1, { description: 'the first QR' });
    const ref = await one.page.rotateQr();
    await waitFor(() => one.events.of('qr').length === 2, { description: 'the second QR' });
    const [[first], [second]] = one.events.of<[string]>('qr');
    expect(second).not.toBe(first);
    expect(second.split(',')[0]).toBe(ref);
  });

  it('links by a pairing code typed into the phone', async () => {
    const one = await start({ pairWithPhoneNumber: { phoneNumber: ME.phone, showNotification: false } });
    const [code] = await waitFor(() => one.events.of<[string]>('code')[0], { description: 'the pairing code' });
    expect((await one.page.state()).pairingCode).toEqual({ phone: ME.phone, code });
    await one.page.enterPairingCode({ pushname: ME.pushname });
    await waitFor(() => one.events.of('ready').length > 0, { description: 'ready' });
    expect(one.client.info.wid._serialized).toBe(`${ME.phone}@c.us`);
    expect(one.events.of('qr')).toEqual([]);
  });

  it('reports UNPAIRED when the device is removed on the phone, and the library closes its browser', async () => {
    const one = await start();
    await link(one);
    await one.page.unpair();
    await waitFor(() => one.events.of('disconnected').length > 0, { description: 'disconnected' });
    expect(one.events.of('change_state')).toEqual([['UNPAIRED']]);
    expect(one.events.of('disconnected')).toEqual([['UNPAIRED']]);
    await waitFor(() => browsersOf(one.session).length === 0, { description: 'the library closing its browser' });
  });

  it('surfaces CONFLICT when WhatsApp Web is opened elsewhere', async () => {
    const one = await start();
    await link(one);
    await one.page.conflict();
    await waitFor(() => one.events.of('disconnected').length > 0, { description: 'disconnected' });
    expect(one.events.of('change_state')).toEqual([['CONFLICT']]);
    expect(one.events.of('disconnected')).toEqual([['CONFLICT']]);
  });

  it('reports LOGOUT when logged out from the phone, then shows a new QR', async () => {
    const one = await start();
    await link(one);
    await one.page.logOut();
    await waitFor(() => one.events.of('disconnected').length > 0, { description: 'disconnected' });
    expect(one.events.of('disconnected')).toEqual([['LOGOUT']]);
    await waitFor(() => one.events.of('qr').length === 2, { description: 'a QR after the logout' });
    // The library re-wires the page after a LOGOUT; destroying it mid-way leaves stray rejections.
    const state = await waitFor(async () => {
      const now = await one.page.state();
      return now.libraryWired && now;
    }, { description: 'the library re-wiring the page' });
    expect(state.device).toBeNull();
  });

  it('comes back ready without a QR when restarted on the same LocalAuth profile', async () => {
    const dataPath = join(cacheDirectory, 'local-auth');
    const first = await start({ authStrategy: new LocalAuth({ clientId: 'restart', dataPath }) });
    await link(first);
    await stopClient(first);

    const second = await start({ authStrategy: new LocalAuth({ clientId: 'restart', dataPath }) });
    await waitFor(() => second.events.of('ready').length > 0, { description: 'ready after the restart' });
    expect(second.events.of('qr')).toEqual([]);
    expect(second.client.info.wid._serialized).toBe(`${ME.phone}@c.us`);
  });

  /** A linked session, zipped into a store by RemoteAuth as a worker would leave it. */
  async function sessionInStore(clientId: string): Promise<{ store: MemoryStore; restore: (worker: string) => RemoteAuth }> {
    const dataPath = join(cacheDirectory, `remote-auth-${clientId}`);
    const store = new MemoryStore(dataPath);
    const firstAuth = new RemoteAuth({ clientId, dataPath, store, backupSyncIntervalMs: 60_000 });
    const first = await start({ authStrategy: firstAuth });
    // The library waits 60 s after ready before its first save unless the store already has the
    // session; the test saves itself, after a graceful close has flushed the profile to disk.
    store.claimExists = true;
    await link(first);
    await stopClient(first);
    await (firstAuth as unknown as { storeRemoteSession(): Promise<void> }).storeRemoteSession();
    expect(store.saved.get(`RemoteAuth-${clientId}`)?.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    // Each worker restores into its own folder.
    const restore = (worker: string) => new RemoteAuth({ clientId, dataPath: join(dataPath, worker), store, backupSyncIntervalMs: 60_000 });
    return { store, restore };
  }

  it('comes back ready without a QR from a RemoteAuth session saved in a store', async () => {
    const { restore } = await sessionInStore('restore');
    const second = await start({ authStrategy: restore('worker-b') });
    await waitFor(() => second.events.of('ready').length > 0, { description: 'ready after the restore' });
    expect(second.events.of('qr')).toEqual([]);
    expect(second.client.info.wid._serialized).toBe(`${ME.phone}@c.us`);
  });

  it('replaces the client still running a device when a restored copy comes online: CONFLICT, and the loser deletes the stored session', async () => {
    const { store, restore } = await sessionInStore('copy');
    const old = await start({ authStrategy: restore('worker-a') });
    await waitFor(() => old.events.of('ready').length > 0, { description: 'the old owner ready' });
    const conflictsBefore = fake.conflicts.length;

    const newer = await start({ authStrategy: restore('worker-b') });
    await waitFor(() => newer.events.of('ready').length > 0, { description: 'the new owner ready' });
    await waitFor(() => old.events.of('disconnected').length > 0, { description: 'the old owner replaced' });
    expect(old.events.of('disconnected')).toEqual([['CONFLICT']]);
    expect(fake.conflicts.slice(conflictsBefore)).toEqual([expect.objectContaining({ phone: ME.phone, replacedPage: old.page.id, byPage: newer.page.id })]);
    // whatsapp-web.js's RemoteAuth.disconnect() on the loser deletes the session the winner runs on.
    await waitFor(() => !store.saved.has('RemoteAuth-copy'), { description: 'the loser deleting the stored session' });
    expect(newer.events.of('disconnected')).toEqual([]);
  });

  it('meets no CONFLICT when the old browser is reaped before the restore elsewhere', async () => {
    const { restore } = await sessionInStore('reaped');
    const old = await start({ authStrategy: restore('worker-a') });
    await waitFor(() => old.events.of('ready').length > 0, { description: 'the old owner ready' });
    const conflictsBefore = fake.conflicts.length;

    expect(await reapChromium({ session: old.session })).toHaveLength(1);
    await waitFor(() => !old.page.connected, { description: 'the old page gone from the network' });
    const newer = await start({ authStrategy: restore('worker-b') });
    await waitFor(() => newer.events.of('ready').length > 0, { description: 'the new owner ready' });
    expect(newer.events.of('qr')).toEqual([]);
    expect(fake.conflicts.slice(conflictsBefore)).toEqual([]);
  });

  it('gives up after qrMaxRetries QR codes nobody scanned', async () => {
    const one = await start({ qrMaxRetries: 2 });
    await waitFor(() => one.events.of('qr').length === 1, { description: 'the first QR' });
    await one.page.rotateQr();
    await waitFor(() => one.events.of('qr').length === 2, { description: 'the second QR' });
    await one.page.rotateQr().catch(() => undefined); // the library may close the browser before the page answers
    await waitFor(() => one.events.of('disconnected').length > 0, { description: 'disconnected' });
    expect(one.events.of('disconnected')).toEqual([['Max qrcode retries reached']]);
    await waitFor(() => browsersOf(one.session).length === 0, { description: 'the library closing its browser' });
  });

  it('leaves no Chromium behind after destroy', async () => {
    const one = await start();
    await link(one);
    expect(browsersOf(one.session)).toHaveLength(1);
    await one.client.destroy();
    await waitFor(() => browsersOf(one.session).length === 0, { description: 'the browser gone' });
    await waitFor(() => !one.page.connected, { description: 'the page disconnected from the driver' });
  });

  it('fails before launching a browser when the saved page for the version is missing', async () => {
    const session = 'wa-fake-test.missing-page';
    await expect(
      createWhatsAppClient({
        session,
        settings: { chromiumPath: '/usr/bin/chromium', chromiumArgs: [], webVersion: '2.3000.404', webCacheDirectory: cacheDirectory },
      }),
    ).rejects.toThrow(WhatsAppWebPageMissingError);
    expect(browsersOf(session)).toEqual([]);
  });
});

// A worker of its own: the library in a child process, driven from here through the fake.
const CHILD_CLIENT = `
const { Client } = require('whatsapp-web.js');
const settings = JSON.parse(process.env.CLIENT_SETTINGS);
const client = new Client({
  webVersion: settings.webVersion,
  webVersionCache: { type: 'local', path: settings.webCacheDirectory, strict: true },
  puppeteer: { executablePath: settings.chromiumPath, headless: true, args: settings.args.map((arg) => arg.replace('OWNER_PID', String(process.pid))) },
});
for (const name of ['qr', 'ready', 'message']) client.on(name, (value) => console.log(JSON.stringify({ name, body: value && value.body })));
client.initialize().catch((error) => { console.error(error); process.exit(1); });
`;

describe('a client in another process', () => {
  it('is driven through the fake, and its browser outlives a kill -9 of that process, still online, until reaped', async () => {
    const session = `wa-fake-test.${process.pid}.child`;
    const args = chromiumLaunchArgs({ session, ownerPid: 0 }, FAKE_WHATSAPP_WEB_CHROMIUM_ARGS).map((arg) => arg.replace(`${session}:0`, `${session}:OWNER_PID`));
    const child = spawn(process.execPath, ['-e', CHILD_CLIENT], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        CLIENT_SETTINGS: JSON.stringify({ webVersion: FakeWhatsAppWeb.defaultVersion, webCacheDirectory: cacheDirectory, chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: { name: string; body?: string }[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as { name: string; body?: string }));
    try {
      const page = await fake.claimPage();
      await waitFor(() => lines.some((line) => line.name === 'qr'), { description: 'the QR in the child' });
      await page.scan(ME);
      await waitFor(() => lines.some((line) => line.name === 'ready'), { description: 'ready in the child' });
      await page.receiveMessage({ from: BOB, body: 'across processes' });
      await waitFor(() => lines.some((line) => line.name === 'message' && line.body === 'across processes'), { description: 'the message in the child' });

      child.kill('SIGKILL');
      await once(child, 'exit');
      // The browser lives on, still connected to the network as the account's device.
      expect(browsersOf(session)).toHaveLength(1);
      expect(page.connected).toBe(true);
      expect(page.onlineAs).toMatchObject({ phone: ME.phone });

      const [orphan] = browsersOf(session);
      expect(findChromium({ orphaned: true }).map((browser) => browser.pid)).toContain(orphan.pid);
      expect(await reapChromium({ session })).toEqual([orphan.pid]);
      await waitFor(() => !page.connected, { description: 'the orphan gone from the network' });
    } finally {
      child.kill('SIGKILL');
      await reapChromium({ session });
    }
  });
});

describe('WhatsApp Web since July 2026: message keys carry `$1`, not `_serialized`', () => {
  let linked: Started;
  let version: string;

  beforeAll(async () => {
    version = fake.writeVersion('fake-2.3000.0-key-dollar1', { messageKey: '$1' });
    linked = await startClient({ webVersion: version });
    await link(linked);
  });
  afterAll(async () => {
    if (linked) await stopClient(linked);
  });

  // These document the break that the pinned library suffers; a compatibility layer must turn them around.
  it('loses the ids of incoming messages', async () => {
    await linked.page.receiveMessage({ from: BOB, body: 'can you see my id?' });
    const message = await waitFor(() => messages(linked.events, 'message').find((m) => m.body === 'can you see my id?'), { description: 'the message' });
    expect(message.id._serialized).toBeUndefined();
    expect((message.id as unknown as Record<string, unknown>).$1).toMatch(/^false_15550002222@c\.us_/);
  });

  it('cannot download incoming media', async () => {
    const { chatId } = await linked.page.receiveMedia({ from: BOB, mimetype: 'image/jpeg', data: Buffer.from('jpeg').toString('base64') });
    const message = await waitFor(() => messages(linked.events, 'message').find((m) => m.from === chatId && m.hasMedia), { description: 'the image' });
    expect(await message.downloadMedia()).toBeUndefined();
  });

  it('loses the message a send returns, though the network took it once', async () => {
    const before = linked.page.sends.length;
    const sent = await linked.client.sendMessage(BOB, 'lost on the way back');
    expect(sent).toBeUndefined();
    expect(linked.page.sends.slice(before)).toEqual([expect.objectContaining({ to: BOB, body: 'lost on the way back' })]);
  });
});
