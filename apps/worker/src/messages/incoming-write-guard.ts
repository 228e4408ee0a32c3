import type { Logger } from '@switchboard/config';
import { storableText } from '@switchboard/contracts';
import { isRowError, type QuarantineRepository } from '@switchboard/db';
import type { IncomingMessage } from '@switchboard/messengers';
import type { WorkerMetrics } from '../metrics/worker-metrics';
import { storableIncoming } from './storable-incoming';

/** What the guard needs of a delivery: whose messages they are. */
export interface GuardedDelivery {
  live: { ref: { id: string } };
  messages: IncomingMessage[];
}

export interface IncomingWriteGuardDeps {
  quarantine: Pick<QuarantineRepository, 'add'>;
  logger: Logger;
  metrics?: Pick<WorkerMetrics, 'incomingStored' | 'incomingQuarantined'>;
}

/**
 * Keeps one bad incoming message from stopping everyone's: text from a network is made
 * storable on the way in (the change logged once), and a batch that still fails with a data
 * error is written again message by message; a message that fails on its own is quarantined
 * (kept with its reason, counted) and counts as handled, so the network does not redeliver it.
 */
export class IncomingWriteGuard {
  constructor(private readonly deps: IncomingWriteGuardDeps) {}

  /** The messages made storable; each change is logged here, once per delivery. */
  storable(accountId: string, messages: IncomingMessage[]): IncomingMessage[] {
    return messages.map((original) => {
      const { message, changes } = storableIncoming(original);
      if (changes.length > 0) {
        this.deps.logger.warn({ accountId, externalId: message.externalId, changes }, 'incoming message changed to be storable');
      }
      return message;
    });
  }

  /** Writes the batch; on a data error, isolates the message(s) at fault and quarantines them. */
  async write<D extends GuardedDelivery>(batch: D[], write: (batch: D[]) => Promise<void>): Promise<void> {
    const started = performance.now();
    const count = batch.reduce((n, d) => n + d.messages.length, 0);
    try {
      await write(batch);
      this.deps.metrics?.incomingStored(count, (performance.now() - started) / 1000);
      return;
    } catch (error) {
      if (!isRowError(error)) throw error;
      if (count === 1) {
        await this.quarantine(batch[0] as D, error);
        return;
      }
      this.deps.logger.warn({ err: error, messages: count }, 'incoming batch refused by the database; writing its messages one by one');
    }
    for (const delivery of batch) {
      for (const message of delivery.messages) {
        const single = { ...delivery, messages: [message] };
        const singleStarted = performance.now();
        try {
          await write([single]);
          this.deps.metrics?.incomingStored(1, (performance.now() - singleStarted) / 1000);
        } catch (error) {
          if (!isRowError(error)) throw error;
          await this.quarantine(single, error);
        }
      }
    }
  }

  private async quarantine(delivery: GuardedDelivery, error: unknown): Promise<void> {
    const message = delivery.messages[0] as IncomingMessage;
    const accountId = delivery.live.ref.id;
    const reason = storableText(`${(error as { code?: string }).code ?? ''} ${databaseMessageOf(error)}`.trim(), 2_000).text;
    // JSON escapes every character PostgreSQL refuses, so the payload itself always stores.
    await this.deps.quarantine.add({ accountId, externalId: storableIncoming(message).message.externalId, reason, payload: JSON.stringify(message) });
    this.deps.metrics?.incomingQuarantined(1);
    this.deps.logger.error({ accountId, externalId: message.externalId, reason }, 'incoming message quarantined: it cannot be stored');
  }
}

/** PostgreSQL's own words: the query builder puts the whole SQL text before them (`<sql> - <message>`). */
function databaseMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cut = message.lastIndexOf(' - ');
  return cut >= 0 ? message.slice(cut + 3) : message;
}
