import { useState } from 'preact/hooks';
import { ApiClient, ApiFailure } from '../api/api-client';
import type { Role, SessionKey } from '../state/session-key';

/** Sign in with a tenant key (the console) or the admin key (the cluster view). */
export function SignInPage({ onSignedIn }: { onSignedIn(session: SessionKey): void }) {
  const [key, setKey] = useState('');
  const [role, setRole] = useState<Role>('tenant');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const api = new ApiClient(key.trim());
      // Each kind of key is checked on a route it may use, so a right key never meets a 403.
      await (role === 'admin' ? api.cluster() : api.accounts());
      onSignedIn({ key: key.trim(), role });
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 403) setError(role === 'admin' ? 'This is a tenant key: choose "Tenant key".' : 'This is the admin key: choose "Admin key".');
      else setError(failure instanceof ApiFailure && failure.status === 401 ? 'This key is not valid.' : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card stack" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Switchboard</h1>
        <fieldset class="role-choice">
          <legend>Sign in with</legend>
          <label class="radio">
            <input type="radio" name="role" value="tenant" checked={role === 'tenant'} onChange={() => setRole('tenant')} />
            Tenant key
          </label>
          <label class="radio">
            <input type="radio" name="role" value="admin" checked={role === 'admin'} onChange={() => setRole('admin')} />
            Admin key
          </label>
        </fieldset>
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
