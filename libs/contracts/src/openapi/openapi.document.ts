import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { Account, AccountList, ConnectBody, CreateAccountBody, DisconnectBody, LoginBody, QrCode } from '../api/account.schema';
import { ChatPage } from '../api/chat.schema';
import { ClusterView } from '../api/cluster.schema';
import { ErrorBody } from '../api/common.schema';
import { Message, MessagePage, SendMessageBody } from '../api/message.schema';
import { SandboxIncomingAccepted, SandboxIncomingBody, SandboxOutbox, SandboxDevices } from '../api/sandbox.schema';
import { ApiKeyCreated, CreateTenantBody, TenantCreated } from '../api/tenant.schema';

type Auth = 'admin' | 'tenant' | 'none';
interface RouteSpec {
  method: RouteConfig['method'];
  path: string;
  summary: string;
  auth: Auth;
  tag: string;
  params?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  status: number;
  response?: z.ZodType;
}

const id = (name: string) => `{${name}}`;
const accountPath = `/v1/accounts/${id('id')}`;
const pageQuery = (cursorName: string) =>
  z.object({ limit: z.number().int().min(1).max(200).optional(), [cursorName]: z.string().optional() });

/** Every route of API.md. The api's routers implement them; this list documents them. */
export const ROUTES: RouteSpec[] = [
  { method: 'post', path: '/v1/tenants', summary: 'Create a tenant and its first API key', auth: 'admin', tag: 'Tenants', body: CreateTenantBody, status: 201, response: TenantCreated },
  { method: 'post', path: `/v1/tenants/${id('id')}/keys`, summary: 'Issue another API key', auth: 'admin', tag: 'Tenants', params: ['id'], status: 201, response: ApiKeyCreated },
  { method: 'delete', path: `/v1/tenants/${id('id')}/keys/${id('keyId')}`, summary: 'Revoke an API key (its live sockets are disconnected)', auth: 'admin', tag: 'Tenants', params: ['id', 'keyId'], status: 204 },
  { method: 'post', path: '/v1/accounts', summary: 'Create an account', auth: 'tenant', tag: 'Accounts', body: CreateAccountBody, status: 201, response: Account },
  { method: 'get', path: '/v1/accounts', summary: 'List accounts', auth: 'tenant', tag: 'Accounts', status: 200, response: AccountList },
  { method: 'get', path: accountPath, summary: 'Get an account', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 200, response: Account },
  { method: 'delete', path: accountPath, summary: 'Log out and delete an account with its data', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `${accountPath}/connect`, summary: 'Connect (QR, phone or pairing code)', auth: 'tenant', tag: 'Accounts', params: ['id'], body: ConnectBody, status: 202, response: Account },
  { method: 'post', path: `${accountPath}/login`, summary: 'Give the login code or 2FA password', auth: 'tenant', tag: 'Accounts', params: ['id'], body: LoginBody, status: 202, response: Account },
  { method: 'post', path: `${accountPath}/disconnect`, summary: 'Disconnect, keeping the session unless logout', auth: 'tenant', tag: 'Accounts', params: ['id'], body: DisconnectBody, status: 202, response: Account },
  { method: 'get', path: `${accountPath}/qr`, summary: 'The pending QR code, for clients that poll', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 200, response: QrCode },
  { method: 'get', path: `${accountPath}/chats`, summary: 'Chats, latest activity first', auth: 'tenant', tag: 'Chats', params: ['id'], query: pageQuery('cursor'), status: 200, response: ChatPage },
  { method: 'get', path: `${accountPath}/chats/${id('chatId')}/messages`, summary: 'Messages of a chat, newest first', auth: 'tenant', tag: 'Chats', params: ['id', 'chatId'], query: pageQuery('before'), status: 200, response: MessagePage },
  { method: 'post', path: `${accountPath}/messages`, summary: 'Send a message (Idempotency-Key supported)', auth: 'tenant', tag: 'Messages', params: ['id'], body: SendMessageBody, status: 202, response: Message },
  { method: 'get', path: `/v1/messages/${id('id')}`, summary: 'Get a message', auth: 'tenant', tag: 'Messages', params: ['id'], status: 200, response: Message },
  { method: 'get', path: `/v1/media/${id('sha256')}`, summary: 'Download media (the bytes; only media a message of your tenant references)', auth: 'tenant', tag: 'Messages', params: ['sha256'], status: 200 },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/scan`, summary: 'Sandbox: the simulated phone scans the QR or confirms the pairing code', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/logout-from-phone`, summary: 'Sandbox: the phone ends the linked device (the account is logged out)', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/incoming`, summary: 'Sandbox: a contact sends a message', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxIncomingBody, status: 202, response: SandboxIncomingAccepted },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/outbox`, summary: 'Sandbox: every delivery the network was asked for', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 200, response: SandboxOutbox },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/devices`, summary: 'Sandbox: the clients of the account connected now, and the conflicts so far', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 200, response: SandboxDevices },
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/readyz', summary: 'Readiness: Redis and PostgreSQL answer', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', auth: 'admin', tag: 'Operations', status: 200 },
  { method: 'get', path: '/v1/admin/cluster', summary: 'Workers: heartbeats, partitions held and sessions', auth: 'admin', tag: 'Operations', status: 200, response: ClusterView },
];

const ERROR_STATUSES: Record<number, string> = {
  400: 'Validation failed or malformed JSON',
  401: 'Missing or unknown key',
  403: 'Wrong kind of key',
  404: 'Not found (or another tenant’s)',
  409: 'Conflict with the current state',
  413: 'Payload too large',
  422: 'Unprocessable',
  503: 'Redis or PostgreSQL unavailable',
};

export function buildOpenApiDocument(serverUrl = '/'): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of ROUTES) {
    const params = route.params?.length
      ? z.object(Object.fromEntries(route.params.map((p) => [p, z.string()])))
      : undefined;
    const responses: RouteConfig['responses'] = {
      [route.status]: route.response
        ? { description: 'OK', content: { 'application/json': { schema: route.response } } }
        : { description: 'OK' },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (route.auth === 'none' && status !== '503') continue;
      responses[status] = { description, content: { 'application/json': { schema: ErrorBody } } };
    }
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      security: route.auth === 'none' ? [] : [{ [bearer.name]: [] }],
      request: {
        params,
        query: route.query,
        body: route.body ? { content: { 'application/json': { schema: route.body } } } : undefined,
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description: 'Connect personal WhatsApp and Telegram accounts; read and answer every chat. Live events over Socket.IO.',
    },
    servers: [{ url: serverUrl }],
  });
}
