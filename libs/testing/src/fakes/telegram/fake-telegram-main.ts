// Runs the fake Telegram data centre as its own process, for end-to-end tests and manual trials:
//   node dist/fake-telegram/main.js
// env: FAKE_TELEGRAM_API_ID, FAKE_TELEGRAM_API_HASH, FAKE_TELEGRAM_DRIVER_PORT (0 = any),
//      FAKE_TELEGRAM_KEY_FILE (where to write the public key PEM, for TELEGRAM_SERVER_KEYS).
// Prints one line `fake-telegram ready {json}` with the DC port, the driver URL and the DCs.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { FakeTelegram } from './fake-telegram';
import { startDriverServer } from './fake-telegram-driver-server';

async function main(): Promise<void> {
  const env = process.env;
  const fake = await FakeTelegram.start({
    apiId: env.FAKE_TELEGRAM_API_ID ? Number(env.FAKE_TELEGRAM_API_ID) : undefined,
    apiHash: env.FAKE_TELEGRAM_API_HASH,
  });
  const driver = await startDriverServer(fake, Number(env.FAKE_TELEGRAM_DRIVER_PORT ?? 0));
  if (env.FAKE_TELEGRAM_KEY_FILE) writeFileSync(env.FAKE_TELEGRAM_KEY_FILE, fake.serverKey.publicKeyPem);
  const driverUrl = `http://127.0.0.1:${(driver.address() as AddressInfo).port}`;
  console.log(`fake-telegram ready ${JSON.stringify({ port: fake.port, driverUrl, dcs: fake.dcs, apiId: fake.apiId })}`);
  const stop = async () => {
    driver.close();
    await fake.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
