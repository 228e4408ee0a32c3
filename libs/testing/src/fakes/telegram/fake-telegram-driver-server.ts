import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { FakeTelegram, RecordedRequest } from './fake-telegram';

type Route = (body: Record<string, unknown>, url: URL) => unknown;

const summary = (entry: RecordedRequest) => ({ dcId: entry.dcId, method: entry.method, userId: entry.userId ?? null, error: entry.error ?? null });

/**
 * The fake's driver over HTTP (JSON), for tests that run the fake as its own process: what other
 * devices and the world do (users, codes, QR scans, incoming messages, revocations, failures) and
 * what the fake recorded.
 */
export async function startDriverServer(fake: FakeTelegram, port = 0): Promise<Server> {
  const routes: Record<string, Route> = {
    'GET /info': () => ({ port: fake.port, dcs: fake.dcs, apiId: fake.apiId, apiHash: fake.apiHash, publicKeyPem: fake.serverKey.publicKeyPem }),
    'POST /users': (body) => fake.addUser(body as never),
    'POST /contacts': (body) => fake.addContact(Number(body.ownerId), Number(body.contactId)),
    'GET /codes': (_body, url) => ({ code: fake.codeSentTo(String(url.searchParams.get('phone'))) }),
    'GET /login-tokens/newest': () => ({ token: fake.newestLoginToken()?.toString('base64url') ?? null }),
    'POST /login-tokens/accept': (body) =>
      fake.acceptLoginToken(Number(body.userId), typeof body.token === 'string' ? Buffer.from(body.token, 'base64url') : undefined),
    'POST /messages': (body) => fake.deliverText(Number(body.fromId), Number(body.toId), String(body.text)),
    'POST /documents': (body) =>
      fake.deliverDocument(Number(body.fromId), Number(body.toId), {
        bytes: Buffer.from(String(body.base64), 'base64'),
        mimeType: String(body.mimeType),
        fileName: String(body.fileName),
        caption: typeof body.caption === 'string' ? body.caption : undefined,
      }),
    'POST /groups/messages': (body) => Object.fromEntries(fake.deliverGroupText(Number(body.chatId), Number(body.fromId), String(body.text))),
    'POST /channels/messages': (body) => fake.deliverChannelText(Number(body.channelId), body.fromId == null ? null : Number(body.fromId), String(body.text)),
    'POST /chats': (body) => {
      const chat = fake.addChat(body as never);
      const { id, kind, megagroup, title } = chat;
      return { id, kind, megagroup, title, accessHash: chat.accessHash.toString(), members: [...chat.members] };
    },
    'POST /edits': (body) => fake.editText(Number(body.accountId), Number(body.messageId), String(body.text)),
    'POST /deletes': (body) => fake.deleteMessages(Number(body.accountId), (body.messageIds as number[]).map(Number)),
    'POST /reads': (body) => fake.readOutbox(Number(body.accountId), Number(body.peerUserId), Number(body.maxId)),
    'POST /reactions': (body) =>
      fake.react(Number(body.accountId), body.chat as never, Number(body.messageId), Number(body.fromUserId), String(body.emoticon)),
    'POST /channels/edits': (body) => fake.editChannelText(Number(body.channelId), Number(body.messageId), String(body.text)),
    'POST /channels/deletes': (body) => fake.deleteChannelMessages(Number(body.channelId), (body.messageIds as number[]).map(Number)),
    'POST /revoke': (body) => fake.revokeSessions(Number(body.userId)),
    'POST /failures': (body) => fake.failNext(String(body.method), { code: Number(body.code), message: String(body.message) }, Number(body.times ?? 1)),
    'POST /drop': () => fake.dropConnections(),
    'GET /requests': (_body, url) => {
      const method = url.searchParams.get('method');
      return fake.requests.filter((entry) => !method || entry.method === method).map(summary);
    },
    'GET /unhandled': () => fake.unhandled.map(summary),
    'GET /sent': () => fake.sentMessages,
  };

  const server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://driver');
    const route = routes[`${request.method} ${url.pathname}`];
    const reply = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value ?? null));
    };
    if (!route) return reply(404, { error: `no driver route ${request.method} ${url.pathname}` });
    try {
      let raw = '';
      for await (const chunk of request) raw += chunk;
      reply(200, route(raw ? JSON.parse(raw) : {}, url));
    } catch (error) {
      reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
