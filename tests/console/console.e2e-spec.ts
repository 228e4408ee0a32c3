/// <reference lib="dom" />
/**
 * The console in Debian's headless Chromium, against real api and worker processes with the
 * sandbox messenger. The tests run in order on one page, as an operator would use it; each
 * step leaves a screenshot in test-artifacts/console. (The DOM types are for the callbacks
 * that page.evaluate runs in the browser.)
 */
import type { Locator, Page } from 'playwright-core';
import { toBuffer as qrPng } from 'qrcode';
import { SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';
import { ConsoleBrowser } from './console-browser';


describe('the console in a browser (api + worker processes, sandbox messenger)', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;
  let browser: ConsoleBrowser;
  let page: Page;
  let demoId: string;

  const card = (name: string): Locator => page.getByRole('article', { name: `account ${name}` });
  const incoming = async (accountId: string, body: Record<string, unknown>) => {
    const res = await system.http('POST', `/v1/sandbox/accounts/${accountId}/incoming`, tenant.apiKey, body);
    expect(res.status).toBe(202);
  };
  const openTab = (name: 'Accounts' | 'Inbox') => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
  const openChat = (title: string) => page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
  const thread = () => page.getByRole('list', { name: 'messages' });

  beforeAll(async () => {
    // Acks slow enough that each status (sent, delivered, read) stays on screen to be seen.
    system = await SwitchboardSystem.create('e2e-console', { SANDBOX_ACK_DELAY_MS: '700' });
    await system.startApi();
    await system.startWorkers('console-w1');
    tenant = await system.createTenant();
    browser = await ConsoleBrowser.launch(system.apiUrl);
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('refuses a wrong key, then signs in with the tenant key', async () => {
    await page.goto('/');
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('alert').filter({ hasText: 'This key is not valid.' }));
    await browser.shot('wrong-key');
    await page.getByLabel('API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Accounts' }));
    await expectVisible(page.getByRole('status', { name: 'live updates: live' }));
  });

  it('adds a sandbox account, connects by QR, and the card turns connected when the phone scans', async () => {
    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Provider').selectOption('sandbox');
    await form.getByLabel('Name').fill('demo');
    await form.getByRole('button', { name: 'Add account' }).click();
    await expectVisible(card('demo'));
    demoId = (await card('demo').getAttribute('data-account-id')) as string;
    await expectVisible(card('demo').getByRole('status', { name: 'status: disconnected' }));

    await card('demo').getByRole('button', { name: 'Connect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect demo' });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    const qr = dialog.getByRole('img', { name: 'QR code to scan with the phone' });
    await expectVisible(qr);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expectVisible(dialog.getByText(/Expires in \d+ s/));
    await browser.shot('qr-dialog');

    expect((await system.http('POST', `/v1/sandbox/accounts/${demoId}/scan`, tenant.apiKey)).status).toBe(202);
    await expectVisible(card('demo').getByRole('status', { name: 'status: connected' }));
    await dialog.waitFor({ state: 'detached' });
    await expectVisible(card('demo').getByText('Sandbox User'));
    await browser.shot('connected');
  });

  it('shows an incoming message live, and a reply goes sent → delivered → read', async () => {
    await openTab('Inbox');
    await incoming(demoId, { from: 'alice', fromName: 'Alice', text: 'hi from alice' });
    const chat = page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /^Alice/ });
    await expectVisible(chat.getByLabel('1 unread'));
    await chat.click();
    await expectVisible(thread().getByText('hi from alice'));

    await page.getByRole('textbox', { name: 'Message' }).fill('hello alice');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = thread().getByRole('listitem', { name: 'sent message' }).filter({ hasText: 'hello alice' });
    for (const status of ['sent', 'delivered', 'read']) await expectVisible(reply.getByRole('img', { name: `status: ${status}` }));
    await browser.shot('inbox-reply-read');
  });

  it('replies to a message: the reply quotes it', async () => {
    await thread().getByRole('listitem').filter({ hasText: 'hi from alice' }).getByRole('button', { name: 'Reply' }).click();
    await expectVisible(page.getByText('Replying to: hi from alice'));
    await page.getByRole('textbox', { name: 'Message' }).fill('answering that');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = thread().getByRole('listitem', { name: 'sent message' }).filter({ hasText: 'answering that' });
    await expectVisible(reply.getByRole('img', { name: 'status: read' }));
    // The quote shows once the api carries replyTo (API.md's richer message model).
    const [row] = await system.sql<{ reply_to: unknown }>("select * from message where text = 'answering that'");
    if (row && 'reply_to_message_id' in row) await expectVisible(reply.getByLabel('in reply to'));
  });

  it('logs in by phone: code, a wrong password (reason shown), then the right one', async () => {
    await openTab('Accounts');
    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Provider').selectOption('sandbox');
    await form.getByLabel('Name').fill('phone');
    await form.getByRole('button', { name: 'Add account' }).click();
    await card('phone').getByRole('button', { name: 'Connect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect phone' });
    await dialog.getByLabel('Phone number', { exact: true }).check();
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill('+15550000010');
    await dialog.getByRole('button', { name: 'Connect' }).click();

    await dialog.getByLabel('Login code').fill('12345');
    await browser.shot('phone-code');
    await dialog.getByRole('button', { name: 'Send code' }).click();
    await dialog.getByLabel('Two-step verification password').fill('wrong');
    await dialog.getByRole('button', { name: 'Send password' }).click();
    await expectVisible(dialog.getByRole('alert').filter({ hasText: 'The password is wrong' }));
    await browser.shot('phone-wrong-password');
    await dialog.getByLabel('Two-step verification password').fill('sandbox');
    await dialog.getByRole('button', { name: 'Send password' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectVisible(card('phone').getByRole('status', { name: 'status: connected' }));
  });

  it('shows a pairing code large; the dialog keeps focus, closes on Escape and gives focus back', async () => {
    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Provider').selectOption('sandbox');
    await form.getByLabel('Name').fill('pairing');
    await form.getByRole('button', { name: 'Add account' }).click();
    const connect = card('pairing').getByRole('button', { name: 'Connect' });
    await connect.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Connect pairing' });
    await expectVisible(dialog);
    // Tabbing never leaves the modal dialog.
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await connect.evaluate((el) => el === document.activeElement)).toBe(true);

    await connect.click();
    await dialog.getByLabel('Pairing code', { exact: true }).check();
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill('+15550000001');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expectVisible(dialog.getByLabel('pairing code', { exact: true }));
    expect((await dialog.getByLabel('pairing code', { exact: true }).textContent())?.trim()).toMatch(/^\S{4,}/);
    await browser.shot('pairing-code');
    expect((await system.http('POST', `/v1/sandbox/accounts/${await card('pairing').getAttribute('data-account-id')}/scan`, tenant.apiKey)).status).toBe(202);
    await dialog.waitFor({ state: 'detached' });
    await expectVisible(card('pairing').getByRole('status', { name: 'status: connected' }));
  });

  it('disconnects and deletes after asking (Cancel changes nothing)', async () => {
    const account = card('pairing');
    await account.getByRole('button', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect pairing?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expectVisible(account.getByRole('status', { name: 'status: connected' }));
    await account.getByRole('button', { name: 'Disconnect' }).click();
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await expectVisible(account.getByRole('status', { name: 'status: disconnected' }));

    await account.getByRole('button', { name: 'Delete' }).click();
    await browser.shot('delete-confirmation');
    await page.getByRole('dialog', { name: 'Delete pairing?' }).getByRole('button', { name: 'Delete' }).click();
    await account.waitFor({ state: 'detached' });
    const id = await card('demo').getAttribute('data-account-id');
    expect(id).toBe(demoId);
  });

  it('replays what arrived while the network was down, once, after the socket reconnects by itself', async () => {
    await openTab('Inbox');
    await openChat('Alice');
    // Chromium's offline mode drops the WebSocket as a lost network would.
    await page.context().setOffline(true);
    await expectVisible(page.getByRole('status', { name: 'live updates: reconnecting…' }));
    const missed = ['missed one', 'missed two', 'missed three'];
    for (const text of missed) await incoming(demoId, { from: 'alice', fromName: 'Alice', text });
    await waitFor(async () => (await system.sql("select 1 from message where text like 'missed %'")).length === 3, { description: 'the missed messages stored' });
    await browser.shot('offline-while-messages-arrive');
    expect(await thread().getByText(/^missed /).count()).toBe(0);

    await page.context().setOffline(false);
    await expectVisible(page.getByRole('status', { name: 'live updates: live' }));
    for (const text of missed) await expectVisible(thread().getByText(text, { exact: true }));
    // Once each, in order, even though the reconnect replays from the last event id.
    expect(await thread().getByText(/^missed /).allTextContents()).toEqual(missed);
    await browser.shot('after-replay');
  });

  it('refetches over REST when the server says the missed events are gone (sync.reset)', async () => {
    await page.context().setOffline(true);
    await expectVisible(page.getByRole('status', { name: 'live updates: reconnecting…' }));
    await incoming(demoId, { from: 'alice', fromName: 'Alice', text: 'sent while the stream was trimmed' });
    await waitFor(async () => (await system.sql("select 1 from message where text = 'sent while the stream was trimmed'")).length === 1, {
      description: 'the message stored',
    });
    // The stream drops everything (as EVENT_STREAM_MAXLEN would after a long absence).
    await system.redis.xtrim(system.keys.events, 'MAXLEN', 0);
    await page.context().setOffline(false);
    await expectVisible(page.getByRole('status', { name: 'live updates: live' }));
    await expectVisible(thread().getByText('sent while the stream was trimmed', { exact: true }));
    expect(await thread().getByText('missed one', { exact: true }).count()).toBe(1);
  });

  it('shows a failed send with its reason, and sends an attachment that is shown inline', async () => {
    await incoming(demoId, { from: 'fail-permanent', fromName: 'Broken', text: 'write back to me' });
    await openChat('Broken');
    await page.getByRole('textbox', { name: 'Message' }).fill('this will fail');
    await page.getByRole('button', { name: 'Send' }).click();
    const failed = thread().getByRole('listitem', { name: 'sent message' }).filter({ hasText: 'this will fail' });
    await expectVisible(failed.getByRole('img', { name: 'status: failed' }));
    await expectVisible(failed.getByRole('alert').filter({ hasText: /^Not sent: .+/ }));
    await browser.shot('failed-send');

    await openChat('Alice');
    await page.getByLabel('Attach a file').setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: await qrPng('an image the operator sends') });
    await expectVisible(page.getByText('Attachment: picture.png'));
    await page.getByRole('button', { name: 'Send' }).click();
    const sent = thread().getByRole('listitem', { name: 'sent message' }).filter({ has: page.getByRole('img', { name: 'picture.png' }) });
    await expectVisible(sent);
    expect(await sent.getByRole('img', { name: 'picture.png' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expectVisible(sent.getByRole('img', { name: /status: (sent|delivered|read)/ }));
    await browser.shot('attachment');
  });

  it('loads older messages of a long thread as you scroll up, without a jump', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `long ${String(i + 1).padStart(3, '0')}`);
    for (const text of texts) await incoming(demoId, { from: 'bob', fromName: 'Bob', text });
    await waitFor(async () => (await system.sql("select 1 from message where text like 'long %'")).length === 200, {
      timeoutMs: 60_000,
      description: '200 messages stored',
    });
    await openChat('Bob');
    await expectVisible(thread().getByText('long 200', { exact: true }));
    expect(await thread().getByText(/^long /).count()).toBe(50);

    // Scroll to the top, three times: each time the message that was on top stays where it was.
    for (let page50 = 1; page50 < 4; page50 += 1) {
      const before = await scrollToTop(page);
      await waitFor(async () => (await thread().getByText(/^long /).count()) === (page50 + 1) * 50, { description: `${(page50 + 1) * 50} messages shown` });
      await page.waitForFunction(() => document.querySelector('.messages')?.getAttribute('aria-busy') === 'false');
      const after = await offsetOf(page, before.id);
      expect(Math.abs(after - before.offset)).toBeLessThanOrEqual(2);
    }
    const shown = await thread().getByText(/^long /).allTextContents();
    expect(shown).toEqual(texts);
    await browser.shot('long-thread-top');
  }, 120_000);

  it('shows group senders, replies, reactions, edits, deletions and forwards when the api carries them', async () => {
    // Today's api does not carry these fields yet (API.md's richer message model lands later): the
    // browser extends its real answers with them, exactly as API.md shapes them.
    const alice = { id: 'alice', name: 'Alice Liddell', phone: '+15550001111' };
    await page.route('**/v1/accounts/*/chats?*', async (route) => {
      const body = (await (await route.fetch()).json()) as { items: { title: string | null; kind: string }[] };
      for (const chat of body.items) if (chat.title === 'Alice') chat.kind = 'group';
      await route.fulfill({ json: body });
    });
    await page.route('**/v1/accounts/*/chats/*/messages?*', async (route) => {
      const body = (await (await route.fetch()).json()) as { items: Record<string, unknown>[] };
      const byText = (text: string) => body.items.find((m) => m.text === text);
      const first = byText('hi from alice');
      for (const m of body.items) if (m.direction === 'in') m.sender = alice;
      if (first) first.reactions = [{ emoji: '+1', sender: alice, at: first.createdAt }];
      const reply = byText('answering that');
      if (reply && first) reply.replyTo = { messageId: first.id, externalId: first.externalId };
      const edited = byText('missed one');
      if (edited) Object.assign(edited, { text: 'missed one, edited', editedAt: edited.createdAt });
      const deleted = byText('missed two');
      if (deleted) Object.assign(deleted, { text: null, deletedAt: deleted.createdAt });
      const forwarded = byText('missed three');
      if (forwarded) forwarded.forwarded = true;
      await route.fulfill({ json: body });
    });
    try {
      await page.reload();
      await openTab('Inbox');
      await openChat('Alice');
      const bubble = (text: string) => thread().getByRole('listitem').filter({ hasText: text });
      await expectVisible(bubble('hi from alice').getByText('Alice Liddell'));
      await expectVisible(bubble('hi from alice').getByRole('list', { name: 'reactions' }).getByText('+1'));
      await expectVisible(bubble('answering that').getByLabel('in reply to').getByText('hi from alice'));
      await expectVisible(bubble('missed one, edited').getByText('edited', { exact: true }));
      await expectVisible(thread().getByText('This message was deleted'));
      expect(await thread().getByText('missed two').count()).toBe(0);
      await expectVisible(bubble('missed three').getByText('↪ Forwarded'));
      await browser.shot('rich-messages');
    } finally {
      await page.unrouteAll();
    }
  });

  it('marks a chat read at the network when it is opened', async () => {
    await openTab('Accounts');
    await incoming(demoId, { from: 'judy', fromName: 'Judy', text: 'read me' });
    const chatOf = async () =>
      (await system.http<{ items: { id: string; externalId: string; unreadCount: number }[] }>('GET', `/v1/accounts/${demoId}/chats?limit=200`, tenant.apiKey)).body.items.find(
        (c) => c.externalId === 'judy',
      );
    await waitFor(async () => (await chatOf())?.unreadCount === 1, { description: 'the unread message stored' });
    await openTab('Inbox');
    await openChat('Judy');
    await waitFor(async () => (await chatOf())?.unreadCount === 0, { description: 'the chat marked read' });
    const outbox = await system.outbox(demoId);
    expect(outbox.filter((i) => (i as { kind?: string }).kind === 'read').map((i) => i.to)).toContain('judy');
  });

  it('shows the cluster to the admin key: the worker, its partitions and sessions', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').check();
    await page.getByLabel('API key').fill(system.env.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.getByRole('row').filter({ hasText: 'console-w1' });
    await expectVisible(row);
    await expectVisible(row.getByRole('cell').filter({ hasText: /^16 / }));
    await expectVisible(row.getByRole('cell', { name: '2', exact: true }));
    await expectVisible(page.getByRole('link', { name: 'Open Bull Board' }));
    await browser.shot('cluster');

    // A second worker joins: the view follows without a reload, the partitions split between them.
    await system.startWorker('console-w2');
    await system.waitForFullOwnership(['console-w1', 'console-w2']);
    const partitionsOf = async (workerId: string) =>
      Number((await page.getByRole('row').filter({ hasText: workerId }).getByRole('cell').nth(2).textContent())?.trim().split(' ')[0]);
    await waitFor(async () => {
      const [w1, w2] = [await partitionsOf('console-w1'), await partitionsOf('console-w2')];
      return w1 > 0 && w2 > 0 && w1 + w2 === 16;
    }, { timeoutMs: 20_000, description: 'the cluster view to show both workers sharing the partitions' });
    await browser.shot('cluster-two-workers');
  });

  it('logged no errors in the browser console, but the network’s own for the wrong key and while offline', async () => {
    const expected = /status of 401|net::ERR_INTERNET_DISCONNECTED/;
    expect(browser.errors.filter((e) => !expected.test(e))).toEqual([]);
    expect(browser.errors.filter((e) => /status of 401/.test(e))).toHaveLength(1);
  });

  it('looks right on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Tenant key').check();
    await page.getByLabel('API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await openTab('Inbox');
    await openChat('Alice');
    await expectVisible(page.getByRole('button', { name: 'Back to chats' }));
    await expectVisible(thread().getByText('hello alice'));
    await browser.shot('phone-thread');
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

/** Scrolls the thread to its top; returns the message shown first there and its offset, before anything loads. */
async function scrollToTop(page: Page): Promise<{ id: string; offset: number }> {
  return page.evaluate(() => {
    const list = document.querySelector('.messages') as HTMLElement;
    list.scrollTop = 0;
    const bubble = list.querySelector<HTMLElement>('[data-message-id]');
    if (!bubble) throw new Error('no message in the thread');
    return { id: bubble.dataset.messageId as string, offset: bubble.getBoundingClientRect().top - list.getBoundingClientRect().top };
  });
}

async function offsetOf(page: Page, messageId: string): Promise<number> {
  return page.evaluate((id) => {
    const list = document.querySelector('.messages') as HTMLElement;
    const bubble = list.querySelector(`[data-message-id="${id}"]`) as HTMLElement;
    return bubble.getBoundingClientRect().top - list.getBoundingClientRect().top;
  }, messageId);
}
