import type { AccountStatus } from '../api/api-types';

const LABELS: Record<AccountStatus, string> = {
  disconnected: 'disconnected',
  connecting: 'connecting',
  qr: 'waiting for QR scan',
  pairing_code: 'waiting for pairing code',
  code_required: 'code required',
  password_required: 'password required',
  connected: 'connected',
  reconnecting: 'reconnecting',
  logged_out: 'logged out',
  failed: 'failed',
};

export function StatusBadge({ status }: { status: AccountStatus }) {
  return (
    <span class={`badge badge-${status}`} data-status={status} role="status" aria-label={`status: ${LABELS[status]}`}>
      {LABELS[status]}
    </span>
  );
}
