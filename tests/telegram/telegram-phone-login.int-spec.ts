import { LogLevel } from 'telegram/extensions/Logger';
import { TelegramPhoneLogin, TelegramUserClient } from '@switchboard/messengers/telegram';
import { FakeTelegram } from '@switchboard/testing/telegram';
import { TelegramTestClients } from './telegram-test-clients';

// Real gramjs against the fake data centre on loopback: no network, no mocks of gramjs.
jest.setTimeout(30_000);

let fake: FakeTelegram;
const clients = new TelegramTestClients(() => fake);

beforeEach(async () => {
  fake = await FakeTelegram.start();
});

afterEach(async () => {
  await clients.destroyAll();
  await fake.stop();
  expect(fake.protocolErrors).toEqual([]);
});

test('phone login with a code follows PHONE_MIGRATE to the account’s data centre; a wrong code keeps the step', async () => {
  const ann = fake.addUser({ phone: '15550001', firstName: 'Ann', homeDc: 2 });
  const client = clients.create(null, 4);
  await client.connect();
  const login = new TelegramPhoneLogin(client, ann.phone);

  expect(await login.start()).toEqual({ step: 'code_required', reason: null });
  expect(fake.requestsOf('auth.SendCode').map((entry) => [entry.dcId, entry.error])).toEqual([
    [4, '303 PHONE_MIGRATE_2'],
    [2, undefined],
  ]);

  expect(await login.submitCode('00000')).toEqual({ step: 'code_required', reason: 'The code is wrong.' });
  const progress = await login.submitCode(fake.codeSentTo(ann.phone));
  expect(progress.step).toBe('signed_in');
  expect(progress.step === 'signed_in' && progress.user.firstName).toBe('Ann');
  expect((await client.me()).id.toJSNumber()).toBe(ann.id);
});

test('2FA: a wrong password keeps the password step and says why; the right one signs in (SRP)', async () => {
  const bob = fake.addUser({ phone: '15550002', firstName: 'Bob', password: 'correct horse', homeDc: 4 });
  const client = clients.create();
  await client.connect();
  const login = new TelegramPhoneLogin(client, bob.phone);
  await login.start();

  expect(await login.submitCode(fake.codeSentTo(bob.phone))).toEqual({ step: 'password_required', reason: null, hint: null });
  expect(await login.submitPassword('battery staple')).toEqual({ step: 'password_required', reason: 'The password is wrong.', hint: null });
  expect(fake.requestsOf('auth.CheckPassword').map((entry) => entry.error)).toEqual(['400 PASSWORD_HASH_INVALID']);

  const progress = await login.submitPassword('correct horse');
  expect(progress.step).toBe('signed_in');
  expect(await client.isAuthorized()).toBe(true);
});

test('an expired code sends a new one and keeps the code step', async () => {
  const cat = fake.addUser({ phone: '15550003', firstName: 'Cat', homeDc: 4 });
  const client = clients.create();
  await client.connect();
  const login = new TelegramPhoneLogin(client, cat.phone);
  await login.start();
  fake.failNext('auth.SignIn', { code: 400, message: 'PHONE_CODE_EXPIRED' });

  expect(await login.submitCode(fake.codeSentTo(cat.phone))).toEqual({ step: 'code_required', reason: 'The code expired; a new code was sent.' });
  expect(fake.requestsOf('auth.SendCode')).toHaveLength(2);
  expect((await login.submitCode(fake.codeSentTo(cat.phone))).step).toBe('signed_in');
});

test('a saved StringSession restores without any login, on the data centre it names', async () => {
  const dan = fake.addUser({ phone: '15550004', firstName: 'Dan', homeDc: 2 });
  const first = await clients.signedIn(dan);
  const saved = first.save();
  await first.destroy();
  const authRequestsBefore = fake.requests.filter((entry) => entry.method.startsWith('auth.')).length;
  const keyExchangesBefore = fake.authKeysCreated;

  // The restored client is told DC 4 but must keep the DC 2 its session names.
  const restored = clients.create(saved, 4);
  await restored.connect();
  expect(await restored.isAuthorized()).toBe(true);
  expect((await restored.me()).id.toJSNumber()).toBe(dan.id);
  expect(fake.requests.filter((entry) => entry.method.startsWith('auth.')).length).toBe(authRequestsBefore);
  expect(fake.authKeysCreated).toBe(keyExchangesBefore);
  expect(fake.requestsOf('updates.GetState').at(-1)?.dcId).toBe(2);
});

test('connect() resolving false (nothing listening) is a failure, not a hang', async () => {
  const client = clients.create();
  await fake.stop();
  await expect(client.connect()).rejects.toMatchObject({ kind: 'not_connected', method: 'connect' });
});

test('a session whose auth key the server does not know gets transport error -404 and fails by its deadline', async () => {
  const eli = fake.addUser({ phone: '15550005', firstName: 'Eli', homeDc: 4 });
  const saved = (await clients.signedIn(eli)).save();
  await clients.destroyAll();
  await fake.stop();
  fake = await FakeTelegram.start(); // a data centre that never saw this key

  const restored = TelegramUserClient.create({ ...fake.clientSettings(4), callTimeoutMs: 2_000 }, saved, LogLevel.NONE);
  try {
    await expect(restored.connect()).rejects.toMatchObject({ kind: 'timeout', method: 'connect' });
    expect(fake.unknownAuthKeys).toHaveLength(1);
  } finally {
    await restored.destroy();
  }
});
