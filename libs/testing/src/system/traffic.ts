import type { Message } from '@switchboard/contracts';
import type { SwitchboardSystem, Tenant } from './switchboard-system';

/** Sends `count` messages round-robin over accounts, one HTTP request after another. */
export async function sendMany(system: SwitchboardSystem, tenant: Tenant, accountIds: string[], count: number, label: string): Promise<Message[]> {
  const sent: Message[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = accountIds[i % accountIds.length] as string;
    sent.push(await system.send(tenant, accountId, `contact-${i % 3}`, `${label}-${i}`));
  }
  return sent;
}

/**
 * Checks "exactly once" on both sides: every message is sent (or further) in PostgreSQL, and
 * the simulated network recorded each of them exactly once.
 */
export async function expectDeliveredExactlyOnce(system: SwitchboardSystem, messages: Message[]): Promise<void> {
  const rows = await system.sql<{ id: string; status: string }>('select id, status from message where id = any($1)', [messages.map((m) => m.id)]);
  const notSent = rows.filter((r) => !['sent', 'delivered', 'read'].includes(r.status));
  expect(notSent).toEqual([]);
  expect(rows).toHaveLength(messages.length);
  const accounts = [...new Set(messages.map((m) => m.accountId))];
  const texts = new Map<string, number>();
  for (const accountId of accounts) {
    for (const item of await system.outbox(accountId)) texts.set(item.text ?? '', (texts.get(item.text ?? '') ?? 0) + 1);
  }
  const repeated = [...texts].filter(([, n]) => n > 1);
  const missing = messages.filter((m) => !texts.has(m.text ?? ''));
  expect({ repeated, missing: missing.map((m) => m.text) }).toEqual({ repeated: [], missing: [] });
}
