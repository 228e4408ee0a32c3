import { useState } from 'preact/hooks';
import { ApiClient, ApiFailure } from '../api/api-client';
import type { SessionKey } from '../state/session-key';

/** Sign in with a tenant key (the console) or the admin key (the cluster view). */
export function SignInPage({ onSignedIn }: { onSignedIn(session: SessionKey): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await new ApiClient(key.trim()).accounts();
      onSignedIn({ key: key.trim(), role: 'tenant' });
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 403) onSignedIn({ key: key.trim(), role: 'admin' });
      else setError(failure instanceof ApiFailure && failure.status === 401 ? 'This key is not valid.' : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card stack" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Switchboard</h1>
        <label>
          API key
          <input name="key" type="password" autoComplete="off" required autoFocus value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        <p class="muted">A tenant key opens its accounts and inbox; the admin key opens the cluster view. The key is kept until you sign out or close the tab.</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
