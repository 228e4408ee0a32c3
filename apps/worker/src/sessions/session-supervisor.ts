import type { Provider } from '@switchboard/contracts';
import type { Logger } from '@switchboard/config';
import type { AccountRow } from '@switchboard/db';
import { accountRefOf, type AccountRef } from '../accounts/live-account';
import type { AccountActor } from './account-actor';

export type ActorFactory = (ref: AccountRef, token: string, after: Promise<unknown>) => AccountActor;

/**
 * The actors of the accounts this worker runs: at most one live actor per account, each bound to
 * the lease (fencing token) it was made under. A new actor of an account starts only after the
 * previous one finished stopping, so this worker never runs two clients of one account.
 */
export class SessionSupervisor {
  private readonly actors = new Map<string, AccountActor>();

  constructor(
    private readonly makeActor: ActorFactory,
    private readonly logger: Logger,
  ) {}

  get(accountId: string): AccountActor | undefined {
    const actor = this.actors.get(accountId);
    return actor && !actor.isEnded ? actor : undefined;
  }

  /** The account's actor under `token`, made when there is none (or the one there is stale). */
  actorFor(account: AccountRow, token: string): AccountActor {
    const existing = this.actors.get(account.id);
    if (existing && !existing.isEnded && existing.token === token) return existing;
    if (existing && !existing.isEnded) existing.fence();
    const actor = this.makeActor(accountRefOf(account), token, existing?.idle() ?? Promise.resolve());
    this.actors.set(account.id, actor);
    return actor;
  }

  /** Stops an account's client for good; with logout the provider ends the session. */
  async stop(accountId: string, { logout }: { logout: boolean }): Promise<AccountActor | undefined> {
    const actor = this.actors.get(accountId);
    if (!actor) return undefined;
    await actor.stop({ logout });
    if (this.actors.get(accountId) === actor) this.actors.delete(accountId);
    return actor;
  }

  /** Graceful hand-off of a partition: clients stop, their sessions stay stored for the next owner. */
  async stopPartition(partition: number): Promise<void> {
    const actors = [...this.actors.values()].filter((a) => a.ref.partition === partition);
    await Promise.all(
      actors.map((actor) =>
        this.stop(actor.ref.id, { logout: false }).catch((error: unknown) =>
          this.logger.error({ err: error, accountId: actor.ref.id }, 'client stop failed during hand-off'),
        ),
      ),
    );
  }

  /** The lease is lost: every client of the partition stops at once and writes nothing more. */
  fencePartition(partition: number): void {
    for (const actor of [...this.actors.values()]) {
      if (actor.ref.partition !== partition) continue;
      actor.fence();
      // Kept until its stop is done, so a new actor of the account waits for it.
      void actor.idle().then(() => {
        if (this.actors.get(actor.ref.id) === actor) this.actors.delete(actor.ref.id);
      });
    }
  }

  /** Live clients by provider (for metrics and the cluster view). */
  countByProvider(): Record<Provider, number> {
    const counts: Record<Provider, number> = { sandbox: 0, whatsapp: 0, telegram: 0 };
    for (const actor of this.actors.values()) if (actor.connected) counts[actor.ref.provider] += 1;
    return counts;
  }
}
