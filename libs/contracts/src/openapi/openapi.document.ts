import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { Account, AccountList, ConnectBody, CreateAccountBody, DisconnectBody, LoginBody, QrCode } from '../api/account.schema';
import { ClusterView } from '../api/cluster.schema';
import { ErrorBody, Uuid } from '../api/common.schema';
import { Chat, ChatPage } from '../api/chat.schema';
import { QuarantinedMessageList } from '../api/quarantine.schema';
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
import { ApiKeyCreated, ApiKeyList, CreateTenantBody, TenantCreated, TenantList } from '../api/tenant.schema';

type Auth = 'admin' | 'tenant' | 'none';
interface RouteSpec {
  method: RouteConfig['method'];
  path: string;
  operationId: string;
  summary: string;
  /** What it does and answers, in a sentence or three. */
  description: string;
  auth: Auth;
  tag: string;
  params?: Partial<Record<string, z.ZodType>>;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  status: number;
  response?: z.ZodType;
  /** Media type of a response that is not JSON. */
  responseType?: string;
  /** Errors this route has beyond those every route of its kind has (see errorStatusesOf). */
  errors?: number[];
}

const id = (name: string) => `{${name}}`;
const accountPath = `/v1/accounts/${id('id')}`;
const pageQuery = (cursorName: string) =>
  z.object({
    limit: z.number().int().min(1).max(200).optional().openapi({ description: 'Page size (default 50).' }),
    [cursorName]: z.string().optional().openapi({ description: 'The `nextCursor` of the previous page.' }),
  });
const uuidParam = (what: string) => Uuid.openapi({ description: `The ${what}'s id.` });
const accountId = { id: uuidParam('account') };
const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Makes the send safe to repeat: a repeat with the same body returns the first message and sends nothing; the same key with a different body is a 409.' }),
});

/** Every route of the API. The api's routers implement them (a test checks both ways); this list documents them. */
export const ROUTES: RouteSpec[] = [
  { method: 'get', path: '/v1/tenants', operationId: 'listTenants', summary: 'List tenants', description: 'Every tenant, oldest first.', auth: 'admin', tag: 'Tenants', status: 200, response: TenantList },
  { method: 'post', path: '/v1/tenants', operationId: 'createTenant', summary: 'Create a tenant and its first API key', description: 'Answers the key once (only its hash is stored) and its id, to revoke it by.', auth: 'admin', tag: 'Tenants', body: CreateTenantBody, status: 201, response: TenantCreated },
  { method: 'get', path: `/v1/tenants/${id('id')}/keys`, operationId: 'listApiKeys', summary: "List a tenant's API keys", description: 'Id, prefix (the first characters), creation and last use of each key; never the key itself.', auth: 'admin', tag: 'Tenants', params: { id: uuidParam('tenant') }, status: 200, response: ApiKeyList },
  { method: 'post', path: `/v1/tenants/${id('id')}/keys`, operationId: 'createApiKey', summary: 'Issue another API key', description: 'For rotation: issue the new key, move clients to it, then revoke the old one.', auth: 'admin', tag: 'Tenants', params: { id: uuidParam('tenant') }, status: 201, response: ApiKeyCreated },
  { method: 'delete', path: `/v1/tenants/${id('id')}/keys/${id('keyId')}`, operationId: 'revokeApiKey', summary: 'Revoke an API key', description: 'At once on every api instance; its live sockets are disconnected.', auth: 'admin', tag: 'Tenants', params: { id: uuidParam('tenant'), keyId: uuidParam('key') }, status: 204 },
  { method: 'get', path: '/v1/quarantined-messages', operationId: 'listQuarantinedMessages', summary: 'Incoming messages that could not be stored', description: 'Newest first. A message lands here when PostgreSQL refuses it even on its own; every other message goes on.', auth: 'admin', tag: 'Operations', query: z.object({ limit: z.number().int().min(1).max(500).optional() }), status: 200, response: QuarantinedMessageList },
  { method: 'post', path: '/v1/accounts', operationId: 'createAccount', summary: 'Create an account', description: 'A WhatsApp, Telegram or sandbox account, `disconnected` until connected.', auth: 'tenant', tag: 'Accounts', body: CreateAccountBody, status: 201, response: Account },
  { method: 'get', path: '/v1/accounts', operationId: 'listAccounts', summary: 'List accounts', description: "The tenant's accounts.", auth: 'tenant', tag: 'Accounts', status: 200, response: AccountList },
  { method: 'get', path: accountPath, operationId: 'getAccount', summary: 'Get an account', description: 'Its status, the reason of the last change, and its profile once connected.', auth: 'tenant', tag: 'Accounts', params: accountId, status: 200, response: Account },
  { method: 'delete', path: accountPath, operationId: 'deleteAccount', summary: 'Delete an account', description: 'Logs the session out, then deletes the account with its chats and messages.', auth: 'tenant', tag: 'Accounts', params: accountId, status: 202, response: Account },
  { method: 'post', path: `${accountPath}/connect`, operationId: 'connectAccount', summary: 'Connect', description: 'Starts a login by QR (default), phone (Telegram) or pairing code (WhatsApp); its progress arrives as events. A method the provider lacks is a 422.', auth: 'tenant', tag: 'Accounts', params: accountId, body: ConnectBody, status: 202, response: Account, errors: [422] },
  { method: 'post', path: `${accountPath}/login`, operationId: 'submitLogin', summary: 'Give the login code or 2FA password', description: 'A 409 when the account is not waiting for that input.', auth: 'tenant', tag: 'Accounts', params: accountId, body: LoginBody, status: 202, response: Account, errors: [409] },
  { method: 'post', path: `${accountPath}/disconnect`, operationId: 'disconnectAccount', summary: 'Disconnect', description: 'Keeps the session (a later connect needs no new QR) unless `logout` is true.', auth: 'tenant', tag: 'Accounts', params: accountId, body: DisconnectBody, status: 202, response: Account },
  { method: 'get', path: `${accountPath}/qr`, operationId: 'getQrCode', summary: 'The pending QR code', description: 'For clients that poll; a 404 while none is pending.', auth: 'tenant', tag: 'Accounts', params: accountId, status: 200, response: QrCode },
  { method: 'get', path: `${accountPath}/chats`, operationId: 'listChats', summary: 'List chats', description: 'Latest activity first, a page at a time. One person is one chat, whatever address was used; `phone` is the person’s phone when the provider tells it.', auth: 'tenant', tag: 'Chats', params: accountId, query: pageQuery('cursor'), status: 200, response: ChatPage },
  { method: 'get', path: `${accountPath}/chats/${id('chatId')}/messages`, operationId: 'listMessages', summary: 'List the messages of a chat', description: 'Newest first, a page at a time.', auth: 'tenant', tag: 'Chats', params: { id: uuidParam('account'), chatId: uuidParam('chat') }, query: pageQuery('before'), status: 200, response: MessagePage },
  { method: 'post', path: `${accountPath}/chats/${id('chatId')}/read`, operationId: 'markChatRead', summary: 'Mark a chat read at the provider', description: 'Marks the chat read up to its newest message. The answer is the chat as stored now; its `unreadCount` becomes 0 once the provider has accepted, announced by `chat.updated`. A chat read on the phone becomes 0 here too.', auth: 'tenant', tag: 'Chats', params: { id: uuidParam('account'), chatId: uuidParam('chat') }, status: 202, response: Chat },
  { method: 'post', path: `${accountPath}/messages`, operationId: 'sendMessage', summary: 'Send a message', description: 'Exactly one of `chatId` or `to`; at least one of `text` or `media`; `replyTo` a message of the same chat (else 422) that is at the provider (else 409). Answers the message `queued`; its progress arrives as `message.status` events.', auth: 'tenant', tag: 'Messages', params: accountId, headers: IdempotencyHeaders, body: SendMessageBody, status: 202, response: Message, errors: [409, 422] },
  { method: 'get', path: `/v1/messages/${id('id')}`, operationId: 'getMessage', summary: 'Get a message', description: 'With its current status.', auth: 'tenant', tag: 'Messages', params: { id: uuidParam('message') }, status: 200, response: Message },
  { method: 'patch', path: `/v1/messages/${id('id')}`, operationId: 'editMessage', summary: 'Edit a sent text message of the account', description: 'Only an outgoing text message that was sent (it has an `externalId`) and not deleted for everyone: else 409 with the reason. The answer is the message as stored now; the edit arrives as `message.updated` with `editedAt` once the provider accepted, or with `error` set and the text unchanged when it refused (an edit window that has passed).', auth: 'tenant', tag: 'Messages', params: { id: uuidParam('message') }, body: EditMessageBody, status: 202, response: Message, errors: [409] },
  { method: 'delete', path: `/v1/messages/${id('id')}`, operationId: 'deleteMessage', summary: 'Delete a message at the provider', description: '`forEveryone=true` deletes for everyone: only the account’s own messages (else 409 naming `forEveryone`); the message then keeps its row with `deletedAt` set and text and media emptied (`message.updated`). Without it (or `false`) the message is deleted only for the account. The message must have been sent (it has an `externalId`) and not be deleted for everyone already: else 409.', auth: 'tenant', tag: 'Messages', params: { id: uuidParam('message') }, query: DeleteMessageQuery, status: 202, response: Message, errors: [409] },
  { method: 'post', path: `/v1/messages/${id('id')}/reactions`, operationId: 'reactToMessage', summary: 'Set the account’s reaction to a message', description: 'An empty emoji removes it. The message must be at the provider (it has an `externalId`) and not deleted for everyone: else 409. The reaction arrives in `reactions` through `message.updated`.', auth: 'tenant', tag: 'Messages', params: { id: uuidParam('message') }, body: ReactionBody, status: 202, response: Message, errors: [409] },
  { method: 'get', path: `/v1/media/${id('sha256')}`, operationId: 'getMedia', summary: 'Download media', description: 'The bytes of media that a message of your tenant references.', auth: 'tenant', tag: 'Messages', params: { sha256: z.string().regex(/^[0-9a-f]{64}$/).openapi({ description: 'The SHA-256 of the bytes, as in the media URL.' }) }, status: 200, responseType: 'application/octet-stream' },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/scan`, operationId: 'sandboxScan', summary: 'Sandbox: scan the QR', description: 'The simulated phone scans the pending QR or confirms the pairing code; a 409 when none is pending. Only with SANDBOX_ENABLED=true.', auth: 'tenant', tag: 'Sandbox', params: accountId, status: 202, response: Account, errors: [409] },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/incoming`, operationId: 'sandboxIncoming', summary: 'Sandbox: a contact writes', description: 'The simulated network delivers a message to the account, as a real one would (including NUL characters or very long text, which the worker makes storable): in a group when `group` is given (created on first use), with media, as a reply (`replyTo`: the provider id of the message it answers) or forwarded. `fromPhone` makes the network resolve that phone to this contact from now on. While no client of the account is connected the message waits at the network.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxIncomingBody, status: 202, response: SandboxIncomingAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/device-send`, operationId: 'sandboxDeviceSend', summary: 'Sandbox: the account’s own phone sends a message', description: 'It arrives at the account’s client as a message with `origin: "device"`; the answer is the id the network gave it. Only with SANDBOX_ENABLED=true.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxDeviceSendBody, status: 202, response: SandboxIncomingAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/edit`, operationId: 'sandboxEdit', summary: 'Sandbox: a contact edits one of its messages', description: 'The edit arrives as `message.updated`; a message the network does not know is a 404, one that is not the contact’s a 409. The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxEditBody, status: 202, response: SandboxActionAccepted, errors: [409] },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/revoke`, operationId: 'sandboxRevoke', summary: 'Sandbox: a contact deletes one of its messages for everyone', description: 'The deletion arrives as `message.updated` (`deletedAt` set, text and media emptied). The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxRevokeBody, status: 202, response: SandboxActionAccepted, errors: [409] },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/react`, operationId: 'sandboxReact', summary: 'Sandbox: a contact reacts to a message of the account', description: 'An empty emoji removes the contact’s reaction. The reaction arrives as `message.updated`. The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxReactBody, status: 202, response: SandboxActionAccepted },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/read-on-phone`, operationId: 'sandboxReadOnPhone', summary: 'Sandbox: the account reads a chat on its phone', description: 'The chat’s `unreadCount` becomes 0 (`chat.updated`). The answer is an empty object.', auth: 'tenant', tag: 'Sandbox', params: accountId, body: SandboxReadOnPhoneBody, status: 202, response: SandboxActionAccepted },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/outbox`, operationId: 'sandboxOutbox', summary: 'Sandbox: deliveries', description: 'Every delivery the simulated network was asked for, oldest first, without dedupe.', auth: 'tenant', tag: 'Sandbox', params: accountId, status: 200, response: SandboxOutbox },
  { method: 'get', path: '/healthz', operationId: 'health', summary: 'Liveness', description: '200 while the process runs.', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/readyz', operationId: 'readiness', summary: 'Readiness', description: '200 when PostgreSQL and Redis answer, else 503 naming which does not.', auth: 'none', tag: 'Operations', status: 200 },
  { method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics', description: 'Prometheus text: HTTP, queues, accounts by status, the event stream.', auth: 'admin', tag: 'Operations', status: 200, responseType: 'text/plain' },
  { method: 'post', path: `/v1/sandbox/accounts/${id('id')}/logout-from-phone`, operationId: 'sandboxLogoutFromPhone', summary: 'Sandbox: the phone logs the device out', description: 'The phone ends the linked device: the client hears it at once, the stored session is deleted and the account is `logged_out`. Only with SANDBOX_ENABLED=true.', auth: 'tenant', tag: 'Sandbox', params: accountId, status: 202, response: Account },
  { method: 'get', path: `/v1/sandbox/accounts/${id('id')}/devices`, operationId: 'sandboxDevices', summary: 'Sandbox: connected clients', description: 'The clients of the account connected to the simulated network now (one at most: a newer one disconnects the older), with the worker and lease running each, and how many conflicts (a client connecting while another was) there were.', auth: 'tenant', tag: 'Sandbox', params: accountId, status: 200, response: SandboxDevices },
  { method: 'get', path: '/v1/admin/cluster', operationId: 'getCluster', summary: 'The cluster', description: 'Workers: their heartbeats, the partitions each holds and how many sessions run there.', auth: 'admin', tag: 'Operations', status: 200, response: ClusterView },
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed, malformed JSON or a body that does not match its Content-Encoding; `details` names each bad field',
  401: 'Missing or unknown key',
  403: 'Wrong kind of key (admin on a tenant route, or the reverse)',
  404: 'Not found (or another tenant’s)',
  409: 'Conflict with the current state',
  413: 'Payload too large',
  415: 'Unsupported Content-Encoding',
  422: 'Unprocessable',
  429: 'Too many failed authentications from this address; see Retry-After',
  500: 'Internal error',
  503: 'PostgreSQL or Redis unavailable',
};

/** The errors a route can answer, from its kind (auth, body, path ids) and its own list. */
function errorStatusesOf(route: RouteSpec): number[] {
  const statuses = new Set<number>([500, 503, ...(route.errors ?? [])]);
  if (route.auth !== 'none') [401, 403, 429].forEach((s) => statuses.add(s));
  if (route.body) [400, 413, 415].forEach((s) => statuses.add(s));
  if (route.query) statuses.add(400);
  if (route.params) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

export function buildOpenApiDocument(serverUrl = '/'): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of ROUTES) {
    const okContent = route.response
      ? { 'application/json': { schema: route.response } }
      : route.responseType
        ? { [route.responseType]: { schema: z.string() } }
        : undefined;
    const responses: RouteConfig['responses'] = {
      [route.status]: { description: route.status === 204 ? 'Done, no body' : 'Success', ...(okContent ? { content: okContent } : {}) },
    };
    for (const status of errorStatusesOf(route)) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorBody } },
        ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } } } : {}),
      };
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
        params: route.params ? z.object(route.params as Record<string, z.ZodType>) : undefined,
        query: route.query,
        headers: route.headers,
        body: route.body ? { required: true, content: { 'application/json': { schema: route.body } } } : undefined,
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
    tags: [
      { name: 'Tenants', description: 'Tenants and their API keys (admin key).' },
      { name: 'Accounts', description: 'Messenger accounts and their login (tenant key).' },
      { name: 'Chats', description: 'Chats and their messages (tenant key).' },
      { name: 'Messages', description: 'Sending, reading and media (tenant key).' },
      { name: 'Sandbox', description: 'The simulated network, for demos and tests (SANDBOX_ENABLED=true).' },
      { name: 'Operations', description: 'Health, readiness, metrics and the quarantine.' },
    ],
  });
}
