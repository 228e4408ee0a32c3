import { checkPassword, TelegramQrLogin, type TelegramQrCode } from '@switchboard/messengers/telegram';
import { FakeTelegram } from '@switchboard/testing/telegram';
import { TelegramTestClients } from './telegram-test-clients';

// Shorter than a token's life (30 s): a scan the client missed would fail the test, not pass late.
jest.setTimeout(15_000);

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

/** Resolves with each QR code as the login shows it. */
function qrCodes() {
  const shown: TelegramQrCode[] = [];
  let notify: (() => void) | null = null;
  return {
    onQr: (qr: TelegramQrCode) => {
      shown.push(qr);
      notify?.();
    },
    async next(count: number): Promise<TelegramQrCode> {
      while (shown.length < count) await new Promise<void>((resolve) => (notify = resolve));
      return shown[count - 1];
    },
  };
}

test('QR login on the same data centre: a token is shown, another device accepts it, signed in', async () => {
  const eve = fake.addUser({ phone: '15550011', firstName: 'Eve', homeDc: 4 });
  const client = clients.create();
  await client.connect();
  const codes = qrCodes();
  const login = new TelegramQrLogin(client, { onQr: codes.onQr });
  const result = login.run();

  const qr = await codes.next(1);
  expect(qr.url).toMatch(/^tg:\/\/login\?token=[\w-]+$/);
  expect(qr.expiresAt.getTime()).toBeGreaterThan(Date.now());
  fake.acceptLoginToken(eve.id, Buffer.from(qr.url.split('=')[1], 'base64url'));

  const progress = await result;
  expect(progress.step === 'signed_in' && progress.user.id.toJSNumber()).toBe(eve.id);
  expect(await client.isAuthorized()).toBe(true);
});

test('QR login with data-centre migration: the token is imported on the account’s DC', async () => {
  const fay = fake.addUser({ phone: '15550012', firstName: 'Fay', homeDc: 2 });
  const client = clients.create(null, 4);
  await client.connect();
  const codes = qrCodes();
  const result = new TelegramQrLogin(client, { onQr: codes.onQr }).run();
  await codes.next(1);
  fake.acceptLoginToken(fay.id);

  expect((await result).step).toBe('signed_in');
  expect(fake.requestsOf('auth.ImportLoginToken').map((entry) => [entry.dcId, entry.error])).toEqual([[2, undefined]]);
  // The saved session now names DC 2: a restore goes there directly.
  const restored = clients.create(client.save(), 4);
  await restored.connect();
  expect((await restored.me()).id.toJSNumber()).toBe(fay.id);
  expect(fake.requestsOf('users.GetUsers').at(-1)?.dcId).toBe(2);
});

test('QR login of an account with 2FA ends at the password step', async () => {
  const gus = fake.addUser({ phone: '15550013', firstName: 'Gus', homeDc: 4, password: 'pw-1' });
  const client = clients.create();
  await client.connect();
  const codes = qrCodes();
  const result = new TelegramQrLogin(client, { onQr: codes.onQr }).run();
  await codes.next(1);
  fake.acceptLoginToken(gus.id);

  expect(await result).toEqual({ step: 'password_required', reason: null, hint: null });
  expect((await checkPassword(client, 'wrong')).step).toBe('password_required');
  expect((await checkPassword(client, 'pw-1')).step).toBe('signed_in');
});

test('an unscanned token is replaced before it expires; cancel ends the loop', async () => {
  fake.addUser({ phone: '15550014', firstName: 'Hal', homeDc: 4 });
  const client = clients.create();
  await client.connect();
  const codes = qrCodes();
  // Tokens live 30 s at the fake; refreshing 29.9 s early means "refresh at once".
  const login = new TelegramQrLogin(client, { onQr: codes.onQr, refreshBeforeExpiryMs: 29_900 });
  const result = login.run();
  const first = await codes.next(1);
  const second = await codes.next(2);
  expect(second.url).not.toBe(first.url);
  login.cancel();
  await expect(result).rejects.toThrow(/cancelled|scanned/);
});
