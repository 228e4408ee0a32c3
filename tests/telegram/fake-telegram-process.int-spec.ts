import { LogLevel } from 'telegram/extensions/Logger';
import { TelegramPhoneLogin, TelegramUserClient, type TelegramIncomingMessage } from '@switchboard/messengers/telegram';
import { FakeTelegramProcess } from '@switchboard/testing/telegram';

// The fake as its own process (dist/, built by `npm run test:int`), reached only through client
// settings and driven over HTTP, as the end-to-end tests and the worker will use it.
jest.setTimeout(30_000);

let fake: FakeTelegramProcess;
let client: TelegramUserClient | undefined;

beforeAll(async () => {
  fake = await FakeTelegramProcess.start();
});

afterAll(async () => {
  await client?.destroy();
  await fake?.stop();
});

test('login with code and password, an incoming message and a send, all through the process', async () => {
  const ann = await fake.addUser({ phone: '15550031', firstName: 'Ann', password: 'secret', homeDc: 2 });
  const bob = await fake.addUser({ phone: '15550032', firstName: 'Bob', username: 'bob_in_process', homeDc: 2 });
  client = TelegramUserClient.create(fake.clientSettings(4), null, LogLevel.NONE);
  await client.connect();

  const login = new TelegramPhoneLogin(client, ann.phone);
  await login.start();
  expect((await login.submitCode(await fake.codeSentTo(ann.phone))).step).toBe('password_required');
  expect((await login.submitPassword('secret')).step).toBe('signed_in');

  const received = new Promise<TelegramIncomingMessage>((resolve) => client!.onMessage(resolve));
  await fake.deliverText(bob.id, ann.id, 'hello over the process');
  expect((await received).text).toBe('hello over the process');

  const peer = await client.resolvePeer('@bob_in_process');
  await client.sendText(peer, 'reply', 'msg-p1');
  await client.sendText(peer, 'reply', 'msg-p1');
  expect(await fake.requests('messages.SendMessage')).toHaveLength(2);
  expect((await fake.sentMessages()).map((sent) => sent.text)).toEqual(['reply']);
  expect(await fake.unhandled()).toEqual([]);
});

test('chats and changes through the process: a channel post, its edit, and a group message', async () => {
  const cat = await fake.addUser({ phone: '15550033', firstName: 'Cat', homeDc: 2 });
  const dan = await fake.addUser({ phone: '15550034', firstName: 'Dan', homeDc: 2 });
  const news = await fake.addChat({ kind: 'channel', title: 'News', memberIds: [cat.id] });
  const group = await fake.addChat({ kind: 'group', title: 'Pair', memberIds: [cat.id, dan.id] });
  await client?.destroy();
  client = TelegramUserClient.create(fake.clientSettings(2), null, LogLevel.NONE);
  await client.connect();
  const login = new TelegramPhoneLogin(client, cat.phone);
  await login.start();
  expect((await login.submitCode(await fake.codeSentTo(cat.phone))).step).toBe('signed_in');

  const received: TelegramIncomingMessage[] = [];
  const both = new Promise<void>((resolve) => client!.onMessage((message) => received.push(message) === 2 && resolve()));
  const post = await fake.deliverChannelText(news.id, null, 'post');
  const delivered = await fake.deliverGroupText(group.id, dan.id, 'hi Cat');
  await both;
  expect(received.map((message) => [message.chatKind, message.text])).toEqual([
    ['channel', 'post'],
    ['group', 'hi Cat'],
  ]);
  expect(received[1].messageId).toBe(delivered[String(cat.id)].id);

  await fake.editChannelText(news.id, post.id, 'post, edited');
  const page = await client.catchUpChannel({ id: String(news.id), accessHash: news.accessHash }, post.pts);
  expect(page.otherUpdates.map((update) => update.className)).toEqual(['UpdateEditChannelMessage']);
});
