import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../api/api-client';
import { ConsoleModel } from '../state/console-state';
import { forgetSessionKey, loadSessionKey, saveSessionKey, type SessionKey } from '../state/session-key';
import { useStore } from '../state/store';
import { AccountsPage } from './accounts-page';
import { ClusterPage } from './cluster-page';
import { InboxPage } from './inbox-page';
import { SignInPage } from './sign-in-page';

type Tab = 'accounts' | 'inbox';

export function App() {
  const [session, setSession] = useState<SessionKey | null>(loadSessionKey);
  const signOut = () => {
    forgetSessionKey();
    setSession(null);
  };
  if (!session) {
    return (
      <SignInPage
        onSignedIn={(s) => {
          saveSessionKey(s);
          setSession(s);
        }}
      />
    );
  }
  return session.role === 'admin' ? <AdminConsole session={session} onSignOut={signOut} /> : <TenantConsole session={session} onSignOut={signOut} />;
}

function AdminConsole({ session, onSignOut }: { session: SessionKey; onSignOut(): void }) {
  const api = useMemo(() => new ApiClient(session.key), [session.key]);
  return (
    <div class="shell">
      <header class="topbar">
        <h1>Switchboard</h1>
        <span class="muted">admin</span>
        <span class="grow" />
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <ClusterPage api={api} />
      </main>
    </div>
  );
}

const LIVE_LABELS = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', refused: 'refused' } as const;

function TenantConsole({ session, onSignOut }: { session: SessionKey; onSignOut(): void }) {
  const model = useMemo(() => new ConsoleModel(session), [session.key]);
  const state = useStore(model.store);
  const [tab, setTab] = useState<Tab>('accounts');
  useEffect(() => {
    model.start();
    return () => model.stop();
  }, [model]);
  const unread = Object.values(state.chats).reduce((n, c) => n + c.unreadCount, 0);

  return (
    <div class="shell">
      <header class="topbar">
        <h1>Switchboard</h1>
        <nav aria-label="Sections" class="tabs">
          <button type="button" aria-current={tab === 'accounts' ? 'page' : undefined} onClick={() => setTab('accounts')}>
            Accounts
          </button>
          <button type="button" aria-current={tab === 'inbox' ? 'page' : undefined} onClick={() => setTab('inbox')}>
            Inbox{unread > 0 && <span class="unread" aria-label={`${unread} unread`}>{unread}</span>}
          </button>
        </nav>
        <span class="grow" />
        <span class={`live live-${state.live}`} role="status" aria-label={`live updates: ${LIVE_LABELS[state.live]}`} data-live={state.live}>
          <span class="dot" aria-hidden="true" /> {LIVE_LABELS[state.live]}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {state.error && (
        <p class="error banner" role="alert">
          {state.error}{' '}
          <button type="button" class="link-button" onClick={() => model.store.set({ error: null })}>
            Dismiss
          </button>
        </p>
      )}
      <main>{tab === 'accounts' ? <AccountsPage model={model} /> : <InboxPage model={model} />}</main>
    </div>
  );
}
