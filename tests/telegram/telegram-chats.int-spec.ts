import type { TelegramIncomingMessage, TelegramUserClient } from '@switchboard/messengers/telegram';
import { FakeTelegram, type FakeUser } from '@switchboard/testing/telegram';
import { TelegramTestClients } from './telegram-test-clients';

jest.setTimeout(30_000);

let fake: FakeTelegram;
let ann: FakeUser;
let bob: FakeUser;
let cat: FakeUser;
const clients = new TelegramTestClients(() => fake);

beforeEach(async () => {
  fake = await FakeTelegram.start();
  ann = fake.addUser({ phone: '15550041', firstName: 'Ann', homeDc: 2 });
  bob = fake.addUser({ phone: '15550042', firstName: 'Bob', homeDc: 2 });
  cat = fake.addUser({ phone: '15550043', firstName: 'Cat', homeDc: 2 });
});

afterEach(async () => {
  await clients.destroyAll();
  await fake.stop();
  expect(fake.protocolErrors).toEqual([]);
  expect(fake.unhandled).toEqual([]);
});

function collect(client: TelegramUserClient, count: number, timeoutMs = 5_000): Promise<TelegramIncomingMessage[]> {
  const received: TelegramIncomingMessage[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${received.length} of ${count} messages arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = client.onMessage((message) => {
      received.push(message);
      if (received.length === count) {
        clearTimeout(timer);
        stop();
        resolve(received);
      }
    });
  });
}

test('a basic group message names the member who wrote it; ids are each account’s own', async () => {
  const group = fake.addChat({ kind: 'group', title: 'Team', memberIds: [ann.id, bob.id, cat.id] });
  fake.deliverText(cat.id, ann.id, 'private first'); // Ann's account ids move on; Bob's do not
  const client = await clients.signedIn(ann);
  const received = collect(client, 1);

  const delivered = fake.deliverGroupText(group.id, bob.id, 'hello team');
  const [message] = await received;
  expect(message).toMatchObject({ chatKind: 'group', chatId: String(group.id), senderId: String(bob.id), text: 'hello team', outgoing: false });
  expect(message.messageId).toBe(delivered.get(ann.id)!.id);
  expect(delivered.get(ann.id)!.id).not.toBe(delivered.get(bob.id)!.id);
});

test('channel posts carry per-channel ids and the channel reference; supergroup messages their sender', async () => {
  const news = fake.addChat({ kind: 'channel', title: 'News', memberIds: [ann.id] });
  const talk = fake.addChat({ kind: 'channel', megagroup: true, title: 'Talk', memberIds: [ann.id, bob.id] });
  const client = await clients.signedIn(ann);
  const received = collect(client, 2);

  fake.deliverChannelText(news.id, null, 'breaking');
  fake.deliverChannelText(talk.id, bob.id, 'anyone here?');
  const [post, chat] = await received;
  expect(post).toMatchObject({ chatKind: 'channel', chatId: String(news.id), senderId: null, messageId: 1, text: 'breaking' });
  expect(chat).toMatchObject({ chatKind: 'channel', chatId: String(talk.id), senderId: String(bob.id), messageId: 1 });
  expect(post.channel).toEqual({ id: String(news.id), accessHash: news.accessHash.toString() });
});

test('a channel’s posts missed while no client ran come back through updates.getChannelDifference', async () => {
  const news = fake.addChat({ kind: 'channel', title: 'News', memberIds: [ann.id] });
  const client = await clients.signedIn(ann);
  const received = collect(client, 1);
  fake.deliverChannelText(news.id, null, 'seen live');
  const [live] = await received;
  const accountState = await client.updateState();
  const saved = client.save();
  await client.destroy();

  fake.deliverChannelText(news.id, null, 'missed 1');
  fake.deliverChannelText(news.id, null, 'missed 2');

  const restored = clients.create(saved);
  await restored.connect();
  // The account's own difference has nothing: channels keep their own pts.
  expect((await restored.catchUp(accountState)).messages).toEqual([]);
  const page = await restored.catchUpChannel(live.channel!, live.pts, 1);
  expect(page).toMatchObject({ more: true, messages: [{ text: 'missed 1', messageId: 2 }] });
  const rest = await restored.catchUpChannel(live.channel!, page.pts);
  expect(rest).toMatchObject({ more: false, messages: [{ text: 'missed 2', messageId: 3 }] });
  expect((await restored.catchUpChannel(live.channel!, rest.pts)).messages).toEqual([]);

  // Not a member, or a wrong access hash: refused, never answered with plausible data.
  await expect(restored.catchUpChannel({ ...live.channel!, accessHash: '1' }, 0)).rejects.toMatchObject({ errorMessage: 'CHANNEL_INVALID' });
});
