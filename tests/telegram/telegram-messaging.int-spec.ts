import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt as bigInt } from 'telegram/Helpers';
import { randomIdFor, TelegramCallError, type TelegramIncomingMessage, type TelegramUserClient } from '@switchboard/messengers/telegram';
import { FakeTelegram, type FakeUser } from '@switchboard/testing/telegram';
import { TelegramTestClients } from './telegram-test-clients';

jest.setTimeout(30_000);

let fake: FakeTelegram;
let ann: FakeUser;
let bob: FakeUser;
const clients = new TelegramTestClients(() => fake);

beforeEach(async () => {
  fake = await FakeTelegram.start();
  ann = fake.addUser({ phone: '15550021', firstName: 'Ann', homeDc: 2 });
  bob = fake.addUser({ phone: '15550022', firstName: 'Bob', username: 'bob_the_builder', homeDc: 2 });
});

afterEach(async () => {
  await clients.destroyAll();
  await fake.stop();
  expect(fake.protocolErrors).toEqual([]);
});

/** The next `count` messages the client reports; rejects if they do not come within `timeoutMs`. */
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

test('a send uses random_id from our message id: the repeat reaches the fake but is recorded once', async () => {
  const client = await clients.signedIn(ann);
  const peer = await client.resolvePeer('@bob_the_builder');

  const first = await client.sendText(peer, 'hello Bob', 'msg-1');
  const repeat = await client.sendText(peer, 'hello Bob', 'msg-1');
  const other = await client.sendText(peer, 'second', 'msg-2');

  expect(repeat.id).toBe(first.id);
  expect(other.id).not.toBe(first.id);
  const sends = fake.requestsOf('messages.SendMessage');
  expect(sends).toHaveLength(3);
  expect((sends[0].request as Api.messages.SendMessage).randomId?.eq(randomIdFor('msg-1'))).toBe(true);
  expect(fake.sentMessages.map((sent) => [sent.fromUserId, sent.toUserId, sent.text])).toEqual([
    [ann.id, bob.id, 'hello Bob'],
    [ann.id, bob.id, 'second'],
  ]);
});

test('a peer is resolved by username and by phone, and a wrong access hash is refused', async () => {
  const client = await clients.signedIn(ann);
  const byUsername = await client.resolvePeer('@bob_the_builder');
  const byPhone = await client.resolvePeer(`+${bob.phone}`);
  expect(byPhone).toEqual(byUsername);
  await expect(client.resolvePeer('@nobody_here')).rejects.toMatchObject({ kind: 'rpc', errorMessage: 'USERNAME_NOT_OCCUPIED' });

  const forged = new Api.InputPeerUser({ userId: (byUsername as Api.InputPeerUser).userId, accessHash: (byUsername as Api.InputPeerUser).accessHash.add(1) });
  await expect(client.sendText(forged, 'x', 'msg-3')).rejects.toMatchObject({ errorMessage: 'PEER_ID_INVALID' });
});

test('a numeric id resolves for a contact with no cache, and not for a stranger', async () => {
  const cat = fake.addUser({ phone: '15550023', firstName: 'Cat', homeDc: 2 });
  fake.addContact(ann.id, bob.id);
  const client = await clients.signedIn(ann);

  const bobPeer = await client.resolvePeer(String(bob.id));
  expect(bobPeer).toBeInstanceOf(Api.InputPeerUser);
  await client.sendText(bobPeer, 'by id', 'msg-5');
  expect(fake.sentMessages.map((sent) => sent.toUserId)).toEqual([bob.id]);
  await expect(client.resolvePeer(String(cat.id))).rejects.toBeInstanceOf(TelegramCallError);
});

test('an incoming private message is pushed as an update and reported with its sender', async () => {
  const client = await clients.signedIn(ann);
  const received = collect(client, 1);
  fake.deliverText(bob.id, ann.id, 'hi Ann');

  const [message] = await received;
  expect(message).toMatchObject({ chatId: String(bob.id), senderId: String(bob.id), text: 'hi Ann', outgoing: false });
});

test('a document arrives with its caption and downloads in parts with the same bytes', async () => {
  const client = await clients.signedIn(ann);
  const received = collect(client, 1);
  const bytes = randomBytes(1_300_000); // three parts of 512 KiB
  fake.deliverDocument(bob.id, ann.id, { bytes, mimeType: 'application/pdf', fileName: 'report.pdf', caption: 'the report' });

  const [message] = await received;
  expect(message).toMatchObject({ text: 'the report', document: { mimeType: 'application/pdf', fileName: 'report.pdf', size: bytes.length, dcId: 2 } });
  expect((await client.downloadDocument(message.document!)).equals(bytes)).toBe(true);
  expect(fake.requestsOf('upload.GetFile')).toHaveLength(3);
  await expect(client.downloadDocument({ ...message.document!, fileReference: Buffer.from('stale').toString('base64') })).rejects.toMatchObject({
    errorMessage: 'FILE_REFERENCE_EXPIRED',
  });
});

test('an updateShortMessage (no users attached) is reported too', async () => {
  const client = await clients.signedIn(ann);
  const received = collect(client, 1);
  fake.deliverText(bob.id, ann.id, 'short form', 'short');
  expect((await received)[0]).toMatchObject({ chatId: String(bob.id), senderId: String(bob.id), text: 'short form' });
});

test('a ping is answered with a bare pong, as Telegram does', async () => {
  const client = await clients.signedIn(ann);
  const pong = await client.call(new Api.Ping({ pingId: bigInt(42) }));
  expect(pong.pingId.toJSNumber()).toBe(42);
});

test('what arrived while no client ran comes back through updates.getDifference after a restore', async () => {
  const client = await clients.signedIn(ann);
  const state = await client.updateState();
  const saved = client.save();
  await client.destroy();

  fake.deliverText(bob.id, ann.id, 'while you were away 1');
  fake.deliverText(bob.id, ann.id, 'while you were away 2');

  const restored = clients.create(saved);
  await restored.connect();
  const caughtUp = await restored.catchUp(state);
  expect(caughtUp.messages.map((message) => message.text)).toEqual(['while you were away 1', 'while you were away 2']);
  expect(caughtUp.state.pts).toBe(state.pts + 2);
  expect(caughtUp.more).toBe(false);
  expect((await restored.catchUp(caughtUp.state)).messages).toEqual([]);
});

test('FLOOD_WAIT surfaces at once as an error with its seconds (gramjs never sleeps on it)', async () => {
  const client = await clients.signedIn(ann);
  const peer = await client.resolvePeer('@bob_the_builder');
  fake.failNext('messages.SendMessage', { code: 420, message: 'FLOOD_WAIT_3' });

  const error = await client.sendText(peer, 'too fast', 'msg-4').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TelegramCallError);
  expect(error).toMatchObject({ kind: 'flood_wait', seconds: 3, method: 'messages.SendMessage', errorMessage: 'FLOOD_WAIT_3' });
  expect(fake.requestsOf('messages.SendMessage')).toHaveLength(1);
  expect(fake.sentMessages).toEqual([]);
});

test('a revoked session raises no event; the next call surfaces AUTH_KEY_UNREGISTERED', async () => {
  const client = await clients.signedIn(ann);
  fake.revokeSessions(ann.id);

  await expect(client.me()).rejects.toMatchObject({ kind: 'logged_out', errorMessage: 'AUTH_KEY_UNREGISTERED' });
  expect(await client.isAuthorized()).toBe(false);
  const restored = clients.create(client.save());
  await restored.connect();
  expect(await restored.isAuthorized()).toBe(false);
});

test('an RPC the fake does not serve fails loudly, naming the method, and is recorded', async () => {
  const client = await clients.signedIn(ann);
  await expect(client.call(new Api.messages.GetHistory({ peer: new Api.InputPeerSelf(), limit: 1 }))).rejects.toMatchObject({
    kind: 'rpc',
    errorMessage: 'FAKE_METHOD_NOT_IMPLEMENTED_messages.GetHistory',
  });
  expect(fake.unhandled.map((entry) => entry.method)).toEqual(['messages.GetHistory']);
});

test('a dropped connection is re-established by the client and pushes arrive again', async () => {
  const client = await clients.signedIn(ann);
  fake.dropConnections();
  // The next call waits for gramjs's reconnect (deadline-bound) and succeeds.
  expect((await client.me()).id.toJSNumber()).toBe(ann.id);
  const received = collect(client, 1);
  fake.deliverText(bob.id, ann.id, 'after the drop');
  expect((await received)[0].text).toBe('after the drop');
});
