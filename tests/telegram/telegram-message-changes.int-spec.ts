import { Api } from 'telegram';
import { Raw } from 'telegram/events';
import type { TelegramUserClient } from '@switchboard/messengers/telegram';
import { FakeTelegram, type FakeUser } from '@switchboard/testing/telegram';
import { TelegramTestClients } from './telegram-test-clients';

jest.setTimeout(30_000);

let fake: FakeTelegram;
let ann: FakeUser;
let bob: FakeUser;
const clients = new TelegramTestClients(() => fake);

beforeEach(async () => {
  fake = await FakeTelegram.start();
  ann = fake.addUser({ phone: '15550051', firstName: 'Ann', homeDc: 2 });
  bob = fake.addUser({ phone: '15550052', firstName: 'Bob', username: 'bob_changes', homeDc: 2 });
});

afterEach(async () => {
  await clients.destroyAll();
  await fake.stop();
  expect(fake.protocolErrors).toEqual([]);
  expect(fake.unhandled).toEqual([]);
});

/** The next `count` raw updates of the given types that gramjs dispatches (what the adapter will see). */
function rawUpdates(client: TelegramUserClient, types: ConstructorParameters<typeof Raw>[0]['types'] & object, count: number, timeoutMs = 5_000): Promise<unknown[]> {
  const seen: unknown[] = [];
  const builder = new Raw({ types });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.client.removeEventHandler(listener, builder);
      reject(new Error(`${seen.length} of ${count} updates arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(update: unknown) {
      seen.push(update);
      if (seen.length < count) return;
      clearTimeout(timer);
      client.client.removeEventHandler(listener, builder);
      resolve(seen);
    }
    client.client.addEventHandler(listener, builder);
  });
}

test('edits, deletes, reactions and the outbox read receipt of a private chat are pushed as Telegram sends them', async () => {
  const client = await clients.signedIn(ann);
  const incoming = fake.deliverText(bob.id, ann.id, 'tpyo');
  const peer = await client.resolvePeer('@bob_changes');
  const sent = await client.sendText(peer, 'mine', 'msg-c1');
  const updates = rawUpdates(client, [Api.UpdateEditMessage, Api.UpdateMessageReactions, Api.UpdateReadHistoryOutbox, Api.UpdateDeleteMessages], 4);

  fake.editText(ann.id, incoming.id, 'typo');
  fake.react(ann.id, { kind: 'user', id: bob.id }, sent.id, bob.id, '👍');
  fake.readOutbox(ann.id, bob.id, sent.id);
  fake.deleteMessages(ann.id, [incoming.id]);

  const [edit, reaction, read, deleted] = (await updates) as [Api.UpdateEditMessage, Api.UpdateMessageReactions, Api.UpdateReadHistoryOutbox, Api.UpdateDeleteMessages];
  expect(edit.message).toMatchObject({ id: incoming.id, message: 'typo' });
  expect((edit.message as Api.Message).editDate).toBeGreaterThan(0);
  expect(reaction.msgId).toBe(sent.id);
  expect(((reaction.reactions.results[0].reaction as Api.ReactionEmoji).emoticon)).toBe('👍');
  expect(read.maxId).toBe(sent.id);
  expect(deleted.messages).toEqual([incoming.id]);
});

test('changes missed while no client ran come back as otherUpdates of getDifference and getChannelDifference', async () => {
  const news = fake.addChat({ kind: 'channel', title: 'News', memberIds: [ann.id] });
  const client = await clients.signedIn(ann);
  const first = fake.deliverText(bob.id, ann.id, 'first');
  const second = fake.deliverText(bob.id, ann.id, 'second');
  const post = fake.deliverChannelText(news.id, null, 'post');
  const accountState = await client.updateState();
  const saved = client.save();
  await client.destroy();

  fake.editText(ann.id, first.id, 'first, edited');
  fake.deleteMessages(ann.id, [second.id]);
  fake.editChannelText(news.id, post.id, 'post, edited');

  const restored = clients.create(saved);
  await restored.connect();
  const caughtUp = await restored.catchUp(accountState);
  expect(caughtUp.messages).toEqual([]);
  expect(caughtUp.otherUpdates.map((update) => update.className)).toEqual(['UpdateEditMessage', 'UpdateDeleteMessages']);
  const channelPage = await restored.catchUpChannel({ id: String(news.id), accessHash: news.accessHash.toString() }, post.pts);
  expect(channelPage.messages).toEqual([]);
  expect(channelPage.otherUpdates).toMatchObject([{ className: 'UpdateEditChannelMessage', message: { id: post.id, message: 'post, edited' } }]);
});
