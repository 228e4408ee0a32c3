import { LogLevel } from 'telegram/extensions/Logger';
import { TelegramPhoneLogin, TelegramUserClient } from '@switchboard/messengers/telegram';
import type { FakeTelegram, FakeUser } from '@switchboard/testing/telegram';

/**
 * Clients of one test file against its fake: each is destroyed after the test, so no socket or
 * timer outlives it.
 */
export class TelegramTestClients {
  private readonly created: TelegramUserClient[] = [];

  constructor(private readonly fake: () => FakeTelegram) {}

  /** A client on a new session starting on `dcId`, or restored from `savedSession`. */
  create(savedSession: string | null = null, dcId = 4): TelegramUserClient {
    const client = TelegramUserClient.create(this.fake().clientSettings(dcId), savedSession, LogLevel.NONE);
    this.created.push(client);
    return client;
  }

  /** A connected client logged in as `user` by phone and code (and password, if it has one). */
  async signedIn(user: FakeUser): Promise<TelegramUserClient> {
    const client = this.create();
    await client.connect();
    const login = new TelegramPhoneLogin(client, user.phone);
    await login.start();
    let progress = await login.submitCode(this.fake().codeSentTo(user.phone));
    if (progress.step === 'password_required') progress = await login.submitPassword(user.password!);
    if (progress.step !== 'signed_in') throw new Error(`login of ${user.phone} ended at ${progress.step}`);
    return client;
  }

  async destroyAll(): Promise<void> {
    await Promise.all(this.created.splice(0).map((client) => client.destroy()));
  }
}
