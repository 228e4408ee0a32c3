import type { AccountStatus, Provider } from '@switchboard/contracts';
import type { AccountRow } from '@switchboard/db';
import type { MessengerSession } from '@switchboard/messengers';

/** What the owner knows of an account it runs. */
export interface AccountRef {
  id: string;
  tenantId: string;
  provider: Provider;
  partition: number;
}

export function accountRefOf(account: AccountRow): AccountRef {
  return { id: account.id, tenantId: account.tenantId, provider: account.provider, partition: account.partition };
}

/** A running session and the lease (fencing token) it runs under. */
export interface LiveAccount {
  ref: AccountRef;
  token: string;
  session: MessengerSession;
  lastStatus: AccountStatus;
  /** Set when the lease was lost: from then on nothing of this session is written or published. */
  fenced: boolean;
  /** How this client was asked to log in (a new connect with another method restarts it). */
  login: { method: string; phone: string | null };
}

/** Statuses after which a new connect must start a fresh client. */
export const FINISHED_STATUSES: readonly AccountStatus[] = ['failed', 'logged_out', 'disconnected'];
