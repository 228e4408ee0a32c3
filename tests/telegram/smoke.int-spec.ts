import { Api } from 'telegram';
import { LogLevel } from 'telegram/extensions/Logger';
import { FakeTelegram } from '@switchboard/testing/telegram';
import { TelegramUserClient, parseTelegramDc } from '@switchboard/messengers/telegram';


jest.setTimeout(20_000);

test('smoke', async () => {
  const fake = await FakeTelegram.start();
  const user = fake.addUser({ phone: '15550001', firstName: 'Ann' });
  const client = TelegramUserClient.create(
    { apiId: fake.apiId, apiHash: fake.apiHash, dc: parseTelegramDc(fake.dcSetting(2)), serverKeys: [fake.serverKey.publicKeyPem], callTimeoutMs: 5000 },
    null,
    LogLevel.DEBUG,
  );
  try {
    await client.connect();
    const sent = await client.call(new Api.auth.SendCode({ phoneNumber: user.phone, apiId: fake.apiId, apiHash: fake.apiHash, settings: new Api.CodeSettings({}) }));
    console.log(sent.className, fake.codeSentTo(user.phone), fake.requests.map((r) => r.method), fake.protocolErrors);
  } finally {
    await client.destroy();
    await fake.stop();
  }
});
