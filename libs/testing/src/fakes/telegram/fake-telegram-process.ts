import { join } from 'node:path';
import type { TelegramClientSettings } from '@switchboard/messengers/telegram';
import { ManagedProcess } from '../../system/managed-process';
import type { FakeUser, NewChat, NewUser, SentMessage } from './telegram-world';

export interface FakeTelegramInfo {
  port: number;
  driverUrl: string;
  dcs: Record<number, string>;
  apiId: number;
  apiHash: string;
  publicKeyPem: string;
}

export interface RecordedRequestSummary {
  dcId: number;
  method: string;
  userId: number | null;
  error: string | null;
}

/**
 * The fake Telegram run as its own process (dist/fake-telegram/main.js, built by `npm run build`),
 * driven over HTTP: what end-to-end tests use, where the worker reaches it only through settings.
 */
export class FakeTelegramProcess {
  private constructor(
    readonly process: ManagedProcess,
    readonly info: FakeTelegramInfo,
  ) {}

  static async start(script = join(process.cwd(), 'dist/fake-telegram/main.js')): Promise<FakeTelegramProcess> {
    const managed = new ManagedProcess('fake-telegram', script, {});
    try {
      await managed.waitForOutput(/fake-telegram ready \{.*\}\n/);
    } catch (error) {
      await managed.kill9();
      throw error;
    }
    const ready = /fake-telegram ready (\{.*\})/.exec(managed.tail(200))!;
    const { driverUrl } = JSON.parse(ready[1]) as { driverUrl: string };
    const info = (await (await fetch(`${driverUrl}/info`)).json()) as Omit<FakeTelegramInfo, 'driverUrl'>;
    return new FakeTelegramProcess(managed, { ...info, driverUrl });
  }

  /** Client settings for DC `dcId`; the worker's equivalents are TELEGRAM_DC and TELEGRAM_SERVER_KEYS. */
  clientSettings(dcId = 4): TelegramClientSettings {
    return {
      apiId: this.info.apiId,
      apiHash: this.info.apiHash,
      dc: { id: dcId, ipAddress: this.info.dcs[dcId], port: this.info.port },
      serverKeys: [this.info.publicKeyPem],
      callTimeoutMs: 10_000,
      connectionRetries: 1,
    };
  }

  /** `TELEGRAM_DC` for DC `dcId`. */
  dcSetting(dcId = 4): string {
    return `${dcId}@${this.info.dcs[dcId]}:${this.info.port}`;
  }

  addUser(user: NewUser): Promise<FakeUser> {
    return this.post('/users', user);
  }

  async codeSentTo(phone: string): Promise<string> {
    return (await this.get<{ code: string }>(`/codes?phone=${encodeURIComponent(phone)}`)).code;
  }

  async newestLoginToken(): Promise<string | null> {
    return (await this.get<{ token: string | null }>('/login-tokens/newest')).token;
  }

  acceptLoginToken(userId: number, token?: string): Promise<void> {
    return this.post('/login-tokens/accept', { userId, token });
  }

  deliverText(fromId: number, toId: number, text: string): Promise<{ id: number; pts: number }> {
    return this.post('/messages', { fromId, toId, text });
  }

  /** A basic group or channel/supergroup; `accessHash` as a decimal string. */
  addChat(chat: NewChat): Promise<{ id: number; kind: 'group' | 'channel'; megagroup: boolean; title: string; accessHash: string; members: number[] }> {
    return this.post('/chats', chat);
  }

  /** Each member's own message id and pts, by member id. */
  deliverGroupText(chatId: number, fromId: number, text: string): Promise<Record<string, { id: number; pts: number }>> {
    return this.post('/groups/messages', { chatId, fromId, text });
  }

  deliverChannelText(channelId: number, fromId: number | null, text: string): Promise<{ id: number; pts: number }> {
    return this.post('/channels/messages', { channelId, fromId, text });
  }

  editText(accountId: number, messageId: number, text: string): Promise<void> {
    return this.post('/edits', { accountId, messageId, text });
  }

  deleteMessages(accountId: number, messageIds: number[]): Promise<void> {
    return this.post('/deletes', { accountId, messageIds });
  }

  readOutbox(accountId: number, peerUserId: number, maxId: number): Promise<void> {
    return this.post('/reads', { accountId, peerUserId, maxId });
  }

  react(accountId: number, chat: { kind: 'user' | 'group' | 'channel'; id: number }, messageId: number, fromUserId: number, emoticon: string): Promise<void> {
    return this.post('/reactions', { accountId, chat, messageId, fromUserId, emoticon });
  }

  editChannelText(channelId: number, messageId: number, text: string): Promise<void> {
    return this.post('/channels/edits', { channelId, messageId, text });
  }

  deleteChannelMessages(channelId: number, messageIds: number[]): Promise<void> {
    return this.post('/channels/deletes', { channelId, messageIds });
  }

  deliverDocument(
    fromId: number,
    toId: number,
    file: { bytes: Buffer; mimeType: string; fileName: string; caption?: string },
  ): Promise<{ id: number; pts: number; documentId: string }> {
    return this.post('/documents', { fromId, toId, base64: file.bytes.toString('base64'), mimeType: file.mimeType, fileName: file.fileName, caption: file.caption });
  }

  revokeSessions(userId: number): Promise<void> {
    return this.post('/revoke', { userId });
  }

  failNext(method: string, error: { code: number; message: string }, times = 1): Promise<void> {
    return this.post('/failures', { method, ...error, times });
  }

  dropConnections(): Promise<void> {
    return this.post('/drop', {});
  }

  requests(method?: string): Promise<RecordedRequestSummary[]> {
    return this.get(`/requests${method ? `?method=${encodeURIComponent(method)}` : ''}`);
  }

  unhandled(): Promise<RecordedRequestSummary[]> {
    return this.get('/unhandled');
  }

  sentMessages(): Promise<SentMessage[]> {
    return this.get('/sent');
  }

  stop(): Promise<void> {
    return this.process.stop();
  }

  private async get<T>(path: string): Promise<T> {
    return this.answer<T>(await fetch(`${this.info.driverUrl}${path}`), path);
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.info.driverUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return this.answer<T>(response, path);
  }

  private async answer<T>(response: Response, path: string): Promise<T> {
    const value = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`fake Telegram driver ${path}: ${value.error ?? response.status}`);
    return value;
  }
}
