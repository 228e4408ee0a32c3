import { ApiClient, documentedPaths } from '../api/api-client';
import type { Account, AccountStatus, Chat, LiveEvent, LoginRequired, Message, PairingCode, QrCode } from '../api/api-types';
import { LiveSocket, type LiveState } from '../live/live-socket';
import { mergeMessages } from './merge-messages';
import type { SessionKey } from './session-key';
import { Store } from './store';

export interface Thread {
  /** Oldest first. */
  messages: Message[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
}

export interface ConsoleState {
  live: LiveState;
  accounts: Record<string, Account>;
  accountsLoaded: boolean;
  qr: Record<string, QrCode>;
  pairingCodes: Record<string, PairingCode>;
  loginRequired: Record<string, LoginRequired>;
  chats: Record<string, Chat>;
  threads: Record<string, Thread>;
  /** Bumped on `sync.reset` and reconnect refetches, so views reload what they show. */
  generation: number;
  canMarkRead: boolean;
  error: string | null;
}

interface StatusChange {
  messageId: string;
  status: Message['status'];
  externalId: string | null;
  error: string | null;
}

function withStatus(message: Message, change: StatusChange): Message {
  return { ...message, status: change.status, error: change.error, externalId: change.externalId ?? message.externalId };
}

const EMPTY_THREAD: Thread = { messages: [], nextCursor: null, loading: false, loaded: false };
const LOGIN_STATUSES: AccountStatus[] = ['qr', 'pairing_code', 'code_required', 'password_required', 'connecting'];

/** The signed-in tenant's console: REST snapshots kept current by the live socket. */
export class ConsoleModel {
  readonly store = new Store<ConsoleState>({
    live: 'connecting',
    accounts: {},
    accountsLoaded: false,
    qr: {},
    pairingCodes: {},
    loginRequired: {},
    chats: {},
    threads: {},
    generation: 0,
    canMarkRead: false,
    error: null,
  });
  readonly api: ApiClient;
  private socket: LiveSocket | null = null;
  /**
   * Status changes of messages not shown yet: a send's first status event can arrive before the
   * answer to its POST does. Applied when the message is added.
   */
  private readonly earlyStatuses = new Map<string, StatusChange>();

  constructor(readonly session: SessionKey) {
    this.api = new ApiClient(session.key);
  }

  start(): void {
    // The socket first, then the snapshots: nothing that happens in between is lost.
    this.socket = new LiveSocket(this.session.key, {
      onEvent: (event) => this.apply(event),
      onReset: () => void this.refetch(),
      onState: (live) => this.store.set({ live }),
    });
    void this.refetch();
    void documentedPaths().then((paths) => this.store.set({ canMarkRead: paths.some((p) => /\/chats\/[^/]+\/read$/.test(p)) }));
  }

  stop(): void {
    this.socket?.close();
  }

  async refetch(): Promise<void> {
    try {
      const { items } = await this.api.accounts();
      this.store.set((s) => ({ accounts: Object.fromEntries(items.map((a) => [a.id, a])), accountsLoaded: true, generation: s.generation + 1, threads: {} }));
      await Promise.all(items.map((a) => this.loadChats(a.id)));
    } catch (error) {
      this.store.set({ error: (error as Error).message });
    }
  }

  async loadChats(accountId: string): Promise<void> {
    const chats: Chat[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.api.chats(accountId, cursor);
      chats.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && chats.length < 1000);
    this.store.set((s) => {
      const kept = Object.values(s.chats).filter((c) => c.accountId !== accountId);
      return { chats: Object.fromEntries([...kept, ...chats].map((c) => [c.id, c])) };
    });
  }

  thread(chatId: string): Thread {
    return this.store.state.threads[chatId] ?? EMPTY_THREAD;
  }

  private setThread(chatId: string, change: (thread: Thread) => Partial<Thread>): void {
    this.store.set((s) => {
      const thread = s.threads[chatId] ?? EMPTY_THREAD;
      return { threads: { ...s.threads, [chatId]: { ...thread, ...change(thread) } } };
    });
  }

  /** Loads the newest page of a thread, or the next older one. */
  async loadMessages(chat: Chat, older: boolean): Promise<void> {
    const current = this.thread(chat.id);
    if (current.loading || (older && (!current.loaded || !current.nextCursor))) return;
    this.setThread(chat.id, () => ({ loading: true }));
    try {
      const page = await this.api.messages(chat.accountId, chat.id, older ? current.nextCursor : null);
      this.setThread(chat.id, (t) => ({
        // Pages come newest first; a first page that finds live messages already here is older than them.
        messages: mergeMessages(t.messages, [...page.items].reverse(), older || t.messages.length > 0 ? 'older' : 'newer'),
        nextCursor: older || !t.loaded ? page.nextCursor : t.nextCursor,
        loaded: true,
        loading: false,
      }));
    } catch (error) {
      this.setThread(chat.id, () => ({ loading: false }));
      this.store.set({ error: (error as Error).message });
    }
  }

  async markRead(chat: Chat): Promise<void> {
    if (!this.store.state.canMarkRead || chat.unreadCount === 0) return;
    await this.api.markRead(chat.accountId, chat.id).catch(() => undefined);
  }

  upsertAccount(account: Account): void {
    this.store.set((s) => ({ accounts: { ...s.accounts, [account.id]: account } }));
  }

  removeAccount(accountId: string): void {
    this.store.set((s) => {
      const accounts = { ...s.accounts };
      delete accounts[accountId];
      return { accounts, chats: Object.fromEntries(Object.entries(s.chats).filter(([, c]) => c.accountId !== accountId)) };
    });
  }

  upsertMessage(message: Message): void {
    const early = this.earlyStatuses.get(message.id);
    this.earlyStatuses.delete(message.id);
    const current = early ? withStatus(message, early) : message;
    this.setThread(message.chatId, (t) => ({ messages: mergeMessages(t.messages, [current], 'newer') }));
  }

  private patchAccount(accountId: string, patch: Partial<Account>): void {
    this.store.set((s) => {
      const account = s.accounts[accountId];
      return account ? { accounts: { ...s.accounts, [accountId]: { ...account, ...patch } } } : {};
    });
  }

  private forget<K extends 'qr' | 'pairingCodes' | 'loginRequired'>(key: K, accountId: string): Partial<ConsoleState> {
    const copy = { ...this.store.state[key] };
    delete copy[accountId];
    return { [key]: copy } as Partial<ConsoleState>;
  }

  apply(event: LiveEvent): void {
    const { accountId } = event;
    switch (event.kind) {
      case 'account.status': {
        const { status, reason } = event.data as { status: AccountStatus; reason: string | null };
        if (!this.store.state.accounts[accountId]) {
          void this.api.request<Account>('GET', `/v1/accounts/${accountId}`).then((a) => this.upsertAccount(a), () => undefined);
          return;
        }
        this.patchAccount(accountId, { status, statusReason: reason });
        if (!LOGIN_STATUSES.includes(status)) this.store.set({ ...this.forget('qr', accountId), ...this.forget('pairingCodes', accountId), ...this.forget('loginRequired', accountId) });
        if (status === 'connected') void this.api.request<Account>('GET', `/v1/accounts/${accountId}`).then((a) => this.upsertAccount(a), () => undefined);
        return;
      }
      case 'account.qr':
        this.store.set((s) => ({ qr: { ...s.qr, [accountId]: event.data as QrCode } }));
        return;
      case 'account.pairing_code':
        this.store.set((s) => ({ pairingCodes: { ...s.pairingCodes, [accountId]: event.data as PairingCode } }));
        return;
      case 'account.login_required':
        this.store.set((s) => ({ loginRequired: { ...s.loginRequired, [accountId]: event.data as LoginRequired } }));
        return;
      case 'message.received':
      case 'message.updated': {
        const message = event.data as Message;
        // A thread not opened yet is fetched when it is opened: only the chat summary is kept now.
        const thread = this.store.state.threads[message.chatId];
        if (thread?.loaded || thread?.loading) this.upsertMessage(message);
        if (!this.store.state.chats[message.chatId]) void this.loadChats(accountId);
        return;
      }
      case 'message.status': {
        const change = event.data as StatusChange;
        const chatId = Object.keys(this.store.state.threads).find((id) => this.thread(id).messages.some((m) => m.id === change.messageId));
        if (!chatId) {
          this.earlyStatuses.set(change.messageId, change);
          // Only the last few matter (sends whose answer is on its way): keep the map small.
          if (this.earlyStatuses.size > 200) this.earlyStatuses.delete(this.earlyStatuses.keys().next().value as string);
          return;
        }
        this.setThread(chatId, (t) => ({ messages: t.messages.map((m) => (m.id === change.messageId ? withStatus(m, change) : m)) }));
        return;
      }
      case 'chat.updated': {
        const chat = event.data as Chat;
        this.store.set((s) => ({ chats: { ...s.chats, [chat.id]: chat } }));
        return;
      }
    }
  }
}
