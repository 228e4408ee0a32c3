import type { AccountStatus, Provider } from '@switchboard/contracts';
import type { AccountRow } from '@switchboard/db';
import type { RedisFence } from '@switchboard/events';

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

/**
 * An account run under a lease: every write made for it carries the lease's fencing token
 * (compared in PostgreSQL) or its Redis fence (compared in Redis), so a stale owner's late write
 * is refused, never applied.
 */
export interface LiveAccount {
  ref: AccountRef;
  token: string;
  redisFence: RedisFence;
  /** Set once the lease was lost: from then on nothing more is written for this client. */
  readonly fenced: boolean;
}

/** Statuses after which a new connect must start a fresh client. */
export const FINISHED_STATUSES: readonly AccountStatus[] = ['failed', 'logged_out', 'disconnected'];
