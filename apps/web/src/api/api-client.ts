import type { Account, Chat, ClusterView, LoginMethod, Message, Page } from './api-types';

/** An error answer of the api, in the documented shape. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SendInput {
  chatId: string;
  text?: string;
  media?: { data: string; mimeType: string; filename?: string };
  replyTo?: string;
}

/** Thin fetch wrapper over API.md with the signed-in key. */
export class ApiClient {
  constructor(private readonly key: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | null)?.error;
      const details = error?.details?.map((d) => `${d.path} ${d.message}`).join('; ');
      throw new ApiFailure(response.status, error?.code ?? 'error', [error?.message ?? response.statusText, details].filter(Boolean).join(': '));
    }
    return parsed as T;
  }

  /** A media file as a data: URL (the key travels in a header, so an <img src> cannot fetch it). */
  async mediaDataUrl(url: string): Promise<string> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.key}` } });
    if (!response.ok) throw new ApiFailure(response.status, 'media', `media answered ${response.status}`);
    const blob = await response.blob();
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  accounts = () => this.request<{ items: Account[] }>('GET', '/v1/accounts');
  createAccount = (provider: string, name: string) => this.request<Account>('POST', '/v1/accounts', { provider, name });
  connect = (id: string, method: LoginMethod, phone?: string) =>
    this.request<Account>('POST', `/v1/accounts/${id}/connect`, { method, ...(phone ? { phone } : {}) });
  login = (id: string, input: { code: string } | { password: string }) => this.request<unknown>('POST', `/v1/accounts/${id}/login`, input);
  disconnect = (id: string, logout: boolean) => this.request<unknown>('POST', `/v1/accounts/${id}/disconnect`, { logout });
  deleteAccount = (id: string) => this.request<unknown>('DELETE', `/v1/accounts/${id}`);
  chats = (accountId: string, cursor?: string | null) =>
    this.request<Page<Chat>>('GET', `/v1/accounts/${accountId}/chats?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  messages = (accountId: string, chatId: string, before?: string | null) =>
    this.request<Page<Message>>(
      'GET',
      `/v1/accounts/${accountId}/chats/${chatId}/messages?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`,
    );
  send = (accountId: string, input: SendInput) => this.request<Message>('POST', `/v1/accounts/${accountId}/messages`, input);
  markRead = (accountId: string, chatId: string) => this.request<unknown>('POST', `/v1/accounts/${accountId}/chats/${chatId}/read`);
  cluster = () => this.request<ClusterView>('GET', '/v1/admin/cluster');
}

/** Whether the running api documents a route (features that land later, such as mark-read). */
export async function documentedPaths(): Promise<string[]> {
  const response = await fetch('/openapi.json').catch(() => null);
  if (!response?.ok) return [];
  const doc = (await response.json()) as { paths?: Record<string, unknown> };
  return Object.keys(doc.paths ?? {});
}
