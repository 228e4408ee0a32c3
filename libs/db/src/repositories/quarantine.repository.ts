import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { toDate } from './row-mappers';

export interface NewQuarantinedMessage {
  accountId: string;
  externalId: string;
  reason: string;
  /** The message as JSON text (escapes keep any character storable). */
  payload: string;
}

export interface QuarantinedMessage extends NewQuarantinedMessage {
  id: string;
  tenantId: string;
  createdAt: Date;
}

/** Incoming messages that could not be stored, kept for operators (see QuarantinedMessageEntity). */
export class QuarantineRepository {
  constructor(private readonly knex: Knex) {}

  async add(message: NewQuarantinedMessage): Promise<string> {
    const id = randomUUID();
    await this.knex('quarantined_message').insert({
      id,
      account_id: message.accountId,
      external_id: message.externalId,
      reason: message.reason,
      payload: message.payload,
      created_at: new Date(),
    });
    return id;
  }

  /** Newest first, with the tenant of each account. */
  async list(limit: number): Promise<QuarantinedMessage[]> {
    const rows = await this.knex('quarantined_message as q')
      .join('account as a', 'a.id', 'q.account_id')
      .select('q.id', 'q.account_id', 'a.tenant_id', 'q.external_id', 'q.reason', 'q.payload', 'q.created_at')
      .orderBy('q.created_at', 'desc')
      .limit(limit);
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      accountId: r.account_id as string,
      tenantId: r.tenant_id as string,
      externalId: r.external_id as string,
      reason: r.reason as string,
      payload: r.payload as string,
      createdAt: toDate(r.created_at),
    }));
  }

  async count(): Promise<number> {
    const row = await this.knex('quarantined_message').count<{ count: string }[]>('* as count').first();
    return Number(row?.count ?? 0);
  }
}
