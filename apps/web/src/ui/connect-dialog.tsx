import { useEffect, useState } from 'preact/hooks';
import { PROVIDER_LOGIN_METHODS, type Account, type LoginMethod } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { useStore } from '../state/store';
import { ModalDialog } from './modal-dialog';
import { useCountdown } from './use-countdown';

const METHOD_LABELS: Record<LoginMethod, string> = { qr: 'QR code', pairing_code: 'Pairing code', phone: 'Phone number' };

interface Props {
  model: ConsoleModel;
  account: Account;
  onClose(): void;
}

/** Connect an account: pick a method, then follow the login live until it is connected. */
export function ConnectDialog({ model, account, onClose }: Props) {
  const methods = PROVIDER_LOGIN_METHODS[account.provider];
  const [method, setMethod] = useState<LoginMethod>(methods[0] ?? 'qr');
  const [phone, setPhone] = useState('');
  const [started, setStarted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const status = account.status;

  useEffect(() => {
    if (started && status === 'connected') onClose();
  }, [started, status]);

  const connect = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      model.upsertAccount(await model.api.connect(account.id, method, method === 'qr' ? undefined : phone.trim()));
      setStarted(true);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <ModalDialog title={`Connect ${account.name}`} onClose={onClose}>
      {!started ? (
        <form onSubmit={connect} class="stack">
          <fieldset>
            <legend>Login method</legend>
            {methods.map((m) => (
              <label key={m} class="radio">
                <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                {METHOD_LABELS[m]}
              </label>
            ))}
          </fieldset>
          {method !== 'qr' && (
            <label>
              Phone number
              <input type="tel" name="phone" required placeholder="+15551234567" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
            </label>
          )}
          {error && <p class="error" role="alert">{error}</p>}
          <div class="actions">
            <button type="submit" class="primary">
              Connect
            </button>
          </div>
        </form>
      ) : (
        <LoginProgress model={model} account={account} />
      )}
    </ModalDialog>
  );
}

function LoginProgress({ model, account }: { model: ConsoleModel; account: Account }) {
  const state = useStore(model.store);
  const qr = state.qr[account.id];
  const pairing = state.pairingCodes[account.id];
  const login = state.loginRequired[account.id];
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const secondsLeft = useCountdown(qr?.expiresAt ?? pairing?.expiresAt);

  const submit = async (e: Event, input: { code: string } | { password: string }) => {
    e.preventDefault();
    setError(null);
    setSubmitting(true);
    try {
      await model.api.login(account.id, input);
      setValue('');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  switch (account.status) {
    case 'qr':
      return qr ? (
        <div class="qr-box">
          <img src={qr.dataUrl} alt="QR code to scan with the phone" width={264} height={264} data-qr={qr.qr} />
          <p aria-live="polite">Scan with the phone. Expires in {secondsLeft} s.</p>
        </div>
      ) : (
        <p aria-live="polite">Waiting for the QR code…</p>
      );
    case 'pairing_code':
      return pairing ? (
        <div class="pairing">
          <p>Enter this code on the phone (Linked devices → Link with phone number):</p>
          <p class="pairing-code" aria-label="pairing code">
            {pairing.code}
          </p>
          <p aria-live="polite">Expires in {secondsLeft} s.</p>
        </div>
      ) : (
        <p aria-live="polite">Waiting for the pairing code…</p>
      );
    case 'code_required':
    case 'password_required': {
      const step = account.status === 'code_required' ? 'code' : 'password';
      const hint = login?.step === step ? login.hint : undefined;
      const reason = account.statusReason ?? (hint && /wrong|invalid|incorrect/i.test(hint) ? hint : null);
      return (
        <form class="stack" onSubmit={(e) => submit(e, step === 'code' ? { code: value.trim() } : { password: value })}>
          {hint && hint !== reason && <p>{hint}</p>}
          {reason && (
            <p class="error" role="alert">
              {reason}
            </p>
          )}
          <label>
            {step === 'code' ? 'Login code' : 'Two-step verification password'}
            <input
              key={step}
              name={step}
              type={step === 'code' ? 'text' : 'password'}
              inputMode={step === 'code' ? 'numeric' : undefined}
              autoComplete={step === 'code' ? 'one-time-code' : 'current-password'}
              required
              autoFocus
              value={value}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={submitting}>
              {step === 'code' ? 'Send code' : 'Send password'}
            </button>
          </div>
        </form>
      );
    }
    case 'failed':
    case 'logged_out':
      return (
        <p class="error" role="alert">
          {account.status === 'failed' ? 'Failed' : 'Logged out'}: {account.statusReason ?? 'no reason given'}
        </p>
      );
    case 'connected':
      return <p>Connected.</p>;
    default:
      return <p aria-live="polite">Connecting…</p>;
  }
}
