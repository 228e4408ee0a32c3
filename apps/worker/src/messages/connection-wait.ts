import type { Database } from '@switchboard/db';
import { PermanentJobError, waitFor, type JobOutcome } from '../jobs/job-errors';
import type { SessionSupervisor } from '../sessions/session-supervisor';

export interface ConnectionWaitDeps {
  db: Database;
  supervisor: SessionSupervisor;
  /** How long work waits for its account to connect (SEND_WAIT_FOR_CONNECTION_MS). */
  limitMs: number;
}

const humanDuration = (ms: number) =>
  ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;

/**
 * Work for an account that is not connected waits for it: parked (not polled) until `since` +
 * the limit, and woken when the account connects; unless the account cannot connect without
 * the user (deleted, disconnected, failed, logged out), which fails it now with the reason.
 */
export async function waitForConnection(deps: ConnectionWaitDeps, accountId: string, since: number, what: string): Promise<JobOutcome> {
  const account = await deps.db.accounts.findById(accountId);
  if (!account) throw new PermanentJobError('The account was deleted.');
  if (account.desiredState === 'disconnected') throw new PermanentJobError('The account is disconnected; connect it, then try again.');
  if (account.status === 'failed' || account.status === 'logged_out') {
    throw new PermanentJobError(`The account cannot ${what}: ${account.statusReason ?? account.status}.`);
  }
  const left = since + deps.limitMs - Date.now();
  if (left <= 0) throw new PermanentJobError(`The account did not connect within ${humanDuration(deps.limitMs)}; the message was not ${what === 'send' ? 'sent' : 'changed'}.`);
  return waitFor(left, 'account not connected', () => deps.supervisor.get(accountId)?.connected === true);
}
