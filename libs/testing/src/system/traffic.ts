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

/**
 * The single-client rule held: no client of these accounts ever connected while another one was
 * (zero conflicts: a conflict is never undone, so it fails at once), and, once restores and
 * hand-offs have settled, each account has exactly one client connected to the simulated
 * network, run by the worker that holds its partition's lease.
 */
export async function expectOneClientEach(system: SwitchboardSystem, tenant: Tenant, accountIds: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems: string[] = [];
    for (const accountId of accountIds) {
      const { status, body } = await system.http<{ items: { workerId: string; fence: string }[]; conflicts: number }>(
        'GET',
        `/v1/sandbox/accounts/${accountId}/devices`,
        tenant.apiKey,
      );
      if (status !== 200) throw new Error(`devices of ${accountId}: ${status} ${JSON.stringify(body)}`);
      expect({ accountId, conflicts: body.conflicts }).toEqual({ accountId, conflicts: 0 });
      if (body.items.length !== 1) {
        problems.push(`${accountId}: ${body.items.length} clients`);
        continue;
      }
      const holder = await system.leaseHolder(accountId);
      const device = body.items[0] as { workerId: string; fence: string };
      if (holder !== `${device.workerId}|${device.fence}`) problems.push(`${accountId}: client of ${device.workerId}|${device.fence}, lease ${holder}`);
    }
    if (problems.length === 0) return;
    if (Date.now() > deadline) expect(problems).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
