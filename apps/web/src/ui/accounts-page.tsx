import { useState } from 'preact/hooks';
import type { Provider } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { useStore } from '../state/store';
import { AccountCard } from './account-card';

export function AccountsPage({ model }: { model: ConsoleModel }) {
  const state = useStore(model.store);
  const accounts = Object.values(state.accounts).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <section class="page" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      <AddAccountForm model={model} />
      {state.accountsLoaded && accounts.length === 0 && <p class="muted">No accounts yet: add one above.</p>}
      <div class="cards">
        {accounts.map((account) => (
          <AccountCard key={account.id} model={model} account={account} />
        ))}
      </div>
    </section>
  );
}

function AddAccountForm({ model }: { model: ConsoleModel }) {
  const [provider, setProvider] = useState<Provider>('whatsapp');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      model.upsertAccount(await model.api.createAccount(provider, name.trim()));
      setName('');
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-label="Add an account">
      <label>
        Provider
        <select name="provider" value={provider} onChange={(e) => setProvider(e.currentTarget.value as Provider)}>
          <option value="whatsapp">WhatsApp</option>
          <option value="telegram">Telegram</option>
          <option value="sandbox">Sandbox</option>
        </select>
      </label>
      <label>
        Name
        <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">
        Add account
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
