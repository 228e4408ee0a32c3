import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { Account, AccountList, ConnectBody, CreateAccountBody, DisconnectBody, LoginBody, QrCode } from '../api/account.schema';
import { ClusterView } from '../api/cluster.schema';
import { ErrorBody } from '../api/common.schema';
import { Chat, ChatPage } from '../api/chat.schema';
import { DeleteMessageQuery, EditMessageBody, Message, MessagePage, ReactionBody, SendMessageBody } from '../api/message.schema';
import {
  SandboxActionAccepted,
  SandboxDeviceSendBody,
  SandboxDevices,
  SandboxEditBody,
  SandboxIncomingAccepted,
  SandboxIncomingBody,
  SandboxOutbox,
  SandboxReactBody,
  SandboxReadOnPhoneBody,
  SandboxRevokeBody,
} from '../api/sandbox.schema';
import { ApiKeyCreated, CreateTenantBody, TenantCreated } from '../api/tenant.schema';

type Auth = 'admin' | 'tenant' | 'none';
interface RouteSpec {
  method: RouteConfig['method'];
  path: string;
  /** Unique, stable: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  /** What a client must know beyond the summary (preconditions, what happens next). */
  description?: string;
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
  { method: 'post', path: '/v1/tenants', operationId: 'createTenant', summary: 'Create a tenant and its first API key', auth: 'admin', tag: 'Tenants', body: CreateTenantBody, status: 201, response: TenantCreated },
  { method: 'post', path: `/v1/tenants/${id('id')}/keys`, operationId: 'createApiKey', summary: 'Issue another API key', auth: 'admin', tag: 'Tenants', params: ['id'], status: 201, response: ApiKeyCreated },
  { method: 'delete', path: `/v1/tenants/${id('id')}/keys/${id('keyId')}`, operationId: 'revokeApiKey', summary: 'Revoke an API key (its live sockets are disconnected)', auth: 'admin', tag: 'Tenants', params: ['id', 'keyId'], status: 204 },
  { method: 'post', path: '/v1/accounts', operationId: 'createAccount', summary: 'Create an account', auth: 'tenant', tag: 'Accounts', body: CreateAccountBody, status: 201, response: Account },
  { method: 'get', path: '/v1/accounts', operationId: 'listAccounts', summary: 'List accounts', auth: 'tenant', tag: 'Accounts', status: 200, response: AccountList },
  { method: 'get', path: accountPath, operationId: 'getAccount', summary: 'Get an account', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 200, response: Account },
  { method: 'delete', path: accountPath, operationId: 'deleteAccount', summary: 'Log out and delete an account with its data', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `${accountPath}/connect`, operationId: 'connectAccount', summary: 'Connect (QR, phone or pairing code)', auth: 'tenant', tag: 'Accounts', params: ['id'], body: ConnectBody, status: 202, response: Account },
  { method: 'post', path: `${accountPath}/login`, operationId: 'submitLoginInput', summary: 'Give the login code or 2FA password', auth: 'tenant', tag: 'Accounts', params: ['id'], body: LoginBody, status: 202, response: Account },
  { method: 'post', path: `${accountPath}/disconnect`, operationId: 'disconnectAccount', summary: 'Disconnect, keeping the session unless logout', auth: 'tenant', tag: 'Accounts', params: ['id'], body: DisconnectBody, status: 202, response: Account },
  { method: 'get', path: `${accountPath}/qr`, operationId: 'getQrCode', summary: 'The pending QR code, for clients that poll', auth: 'tenant', tag: 'Accounts', params: ['id'], status: 200, response: QrCode },
  { method: 'get', path: `${accountPath}/chats`, operationId: 'listChats', summary: 'Chats, latest activity first', description: 'One person is one chat, whatever address was used; `phone` is the person’s phone when the provider tells it.', auth: 'tenant', tag: 'Chats', params: ['id'], query: pageQuery('cursor'), status: 200, response: ChatPage },
  { method: 'get', path: `${accountPath}/chats/${id('chatId')}/messages`, operationId: 'listMessages', summary: 'Messages of a chat, newest first', auth: 'tenant', tag: 'Chats', params: ['id', 'chatId'], query: pageQuery('before'), status: 200, response: MessagePage },
  { method: 'post', path: `${accountPath}/chats/${id('chatId')}/read`, operationId: 'markChatRead', summary: 'Mark a chat read at the provider', description: 'Marks the chat read up to its newest message. The answer is the chat as stored now; its `unreadCount` becomes 0 once the provider has accepted, announced by `chat.updated`. A chat read on the phone becomes 0 here too.', auth: 'tenant', tag: 'Chats', params: ['id', 'chatId'], status: 202, response: Chat },
  { method: 'post', path: `${accountPath}/messages`, operationId: 'sendMessage', summary: 'Send a message (Idempotency-Key supported)', description: 'Exactly one of `chatId` / `to`; at least one of `text` / `media`. `replyTo` is the id of a message of the same chat (else 422 naming `replyTo`) that was sent or received (it has an `externalId`; else 409 naming `replyTo`). The message is stored `queued` with `origin: "api"` and a `type` from the media (`image/*`, `video/*`, `audio/*`, else `document`) or `text`. A repeated `Idempotency-Key` returns the first message and sends nothing again.', auth: 'tenant', tag: 'Messages', params: ['id'], body: SendMessageBody, status: 202, response: Message },
  { method: 'get', path: `/v1/messages/${id('id')}`, operationId: 'getMessage', summary: 'Get a message', auth: 'tenant', tag: 'Messages', params: ['id'], status: 200, response: Message },
  { method: 'patch', path: `/v1/messages/${id('id')}`, operationId: 'editMessage', summary: 'Edit a sent text message of the account', description: 'Only an outgoing text message that was sent (it has an `externalId`) and not deleted for everyone: else 409 with the reason. The answer is the message as stored now; the edit arrives as `message.updated` with `editedAt` once the provider accepted, or with `error` set and the text unchanged when it refused (an edit window that has passed).', auth: 'tenant', tag: 'Messages', params: ['id'], body: EditMessageBody, status: 202, response: Message },
  { method: 'delete', path: `/v1/messages/${id('id')}`, operationId: 'deleteMessage', summary: 'Delete a message at the provider (for everyone, or only for the account)', description: '`forEveryone=true` deletes for everyone: only the account’s own messages (else 409 naming `forEveryone`); the message then keeps its row with `deletedAt` set and text and media emptied (`message.updated`). Without it (or `false`) the message is deleted only for the account. The message must have been sent (it has an `externalId`) and not be deleted for everyone already: else 409.', auth: 'tenant', tag: 'Messages', params: ['id'], query: DeleteMessageQuery, status: 202, response: Message },
  { method: 'post', path: `/v1/messages/${id('id')}/reactions`, operationId: 'reactToMessage', summary: 'Set the account’s reaction to a message (an empty emoji removes it)', description: 'The message must be at the provider (it has an `externalId`) and not deleted for everyone: else 409. The reaction arrives in `reactions` through `message.updated`.', auth: 'tenant', tag: 'Messages', params: ['id'], body: ReactionBody, status: 202, response: Message },
  { method: 'get', path: `/v1/media/${id('sha256')}`, operationId: 'downloadMedia', summary: 'Download media (the bytes; only media a message of your tenant references)', auth: 'tenant', tag: 'Messages', params: ['sha256'], status: 200 },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/scan`, operationId: 'sandboxScan', summary: 'Sandbox: the simulated phone scans the QR or confirms the pairing code', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/logout-from-phone`, operationId: 'sandboxLogoutFromPhone', summary: 'Sandbox: the phone ends the linked device (the account is logged out)', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 202, response: Account },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/incoming`, operationId: 'sandboxIncoming', summary: 'Sandbox: a contact sends a message', description: 'In a group when `group` is given (created on first use), with media, as a reply (`replyTo`: the provider id of the message it answers) or forwarded. `fromPhone` makes the network resolve that phone to this contact from now on. While no client of the account is connected the message waits at the network.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxIncomingBody, status: 202, response: SandboxIncomingAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/device-send`, operationId: 'sandboxDeviceSend', summary: 'Sandbox: the account’s own phone sends a message', description: 'It arrives at the account’s client as a message with `origin: "device"`; the answer is the id the network gave it.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxDeviceSendBody, status: 202, response: SandboxIncomingAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/edit`, operationId: 'sandboxEdit', summary: 'Sandbox: a contact edits one of its messages', description: 'The edit arrives as `message.updated`. The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxEditBody, status: 202, response: SandboxActionAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/revoke`, operationId: 'sandboxRevoke', summary: 'Sandbox: a contact deletes one of its messages for everyone', description: 'The deletion arrives as `message.updated` (`deletedAt` set, text and media emptied). The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxRevokeBody, status: 202, response: SandboxActionAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/react`, operationId: 'sandboxReact', summary: 'Sandbox: a contact reacts to a message of the account', description: 'An empty emoji removes the contact’s reaction. The reaction arrives as `message.updated`. The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxReactBody, status: 202, response: SandboxActionAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/read-on-phone`, operationId: 'sandboxReadOnPhone', summary: 'Sandbox: the account reads a chat on its phone', description: 'The chat’s `unreadCount` becomes 0 (`chat.updated`). The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: ['id'], body: SandboxReadOnPhoneBody, status: 202, response: SandboxActionAccepted },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/outbox`, operationId: 'sandboxOutbox', summary: 'Sandbox: every delivery the network was asked for', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 200, response: SandboxOutbox },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/devices`, operationId: 'sandboxDevices', summary: 'Sandbox: the clients of the account connected now, and the conflicts so far', auth: 'tenant', tag: 'Sandbox', params: ['id'], status: 200, response: SandboxDevices },
  { method: 'get', path: '/healthz', operationId: 'healthz', summary: 'Liveness', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/readyz', operationId: 'readyz', summary: 'Readiness: Redis and PostgreSQL answer', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics', auth: 'admin', tag: 'Operations', status: 200 },
  { method: 'get', path: '/v1/admin/cluster', operationId: 'getCluster', summary: 'Workers: heartbeats, partitions held and sessions', auth: 'admin', tag: 'Operations', status: 200, response: ClusterView },
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
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
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
