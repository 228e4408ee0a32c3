import { useState } from 'preact/hooks';
import type { Account } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { ConfirmDialog } from './confirm-dialog';
import { ConnectDialog } from './connect-dialog';
import { profileLine } from './format';
import { ProviderIcon } from './provider-icon';
import { StatusBadge } from './status-badge';

type Pending = null | 'connect' | 'disconnect' | 'logout' | 'delete';

export function AccountCard({ model, account }: { model: ConsoleModel; account: Account }) {
  const [open, setOpen] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch((failure: Error) => setError(failure.message));
  };
  const showReason = (account.status === 'failed' || account.status === 'logged_out' || account.status === 'reconnecting') && account.statusReason;
  const live = account.status !== 'disconnected' && account.status !== 'logged_out' && account.status !== 'failed';

  return (
    <article class="card" aria-label={`account ${account.name}`} data-account-id={account.id}>
      <header class="card-head">
        <ProviderIcon provider={account.provider} />
        <div class="grow">
          <h3>{account.name}</h3>
          <p class="muted">{profileLine(account) || account.provider}</p>
        </div>
        <StatusBadge status={account.status} />
      </header>
      {showReason && <p class="reason">{account.statusReason}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        {account.status !== 'connected' && (
          <button type="button" class="primary" onClick={() => setOpen('connect')}>
            Connect
          </button>
        )}
        {live && (
          <button type="button" onClick={() => setOpen('disconnect')}>
            Disconnect
          </button>
        )}
        <button type="button" onClick={() => setOpen('logout')}>
          Log out
        </button>
        <button type="button" class="danger" onClick={() => setOpen('delete')}>
          Delete
        </button>
      </div>
      {open === 'connect' && <ConnectDialog model={model} account={account} onClose={() => setOpen(null)} />}
      {open === 'disconnect' && (
        <ConfirmDialog
          title={`Disconnect ${account.name}?`}
          message="The session is kept: connecting again needs no new login."
          confirmLabel="Disconnect"
          onConfirm={() => run(() => model.api.disconnect(account.id, false))}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'logout' && (
        <ConfirmDialog
          title={`Log out ${account.name}?`}
          message="The session is ended and deleted: the next connect needs a new login."
          confirmLabel="Log out"
          onConfirm={() => run(() => model.api.disconnect(account.id, true))}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${account.name}?`}
          message="The session is logged out, then the account and all its chats and messages are deleted."
          confirmLabel="Delete"
          onConfirm={() => run(async () => {
            await model.api.deleteAccount(account.id);
            model.removeAccount(account.id);
          })}
          onClose={() => setOpen(null)}
        />
      )}
    </article>
  );
}
