import { performance } from 'node:perf_hooks';
import { SandboxNetwork, type SandboxInbound } from '@switchboard/messengers';
import type { Fleet } from '../fleet';
import { PLAN } from '../settings';
import { percentile } from '../stats';
import type { Figures } from './figures';

/**
 * The simulated network delivers as fast as it can (batched XADDs to the partition streams);
 * measured until the Socket.IO client has seen every message as `message.received`.
 */
export async function runInbound(fleet: Fleet, log: (line: string) => void): Promise<Figures> {
  const { messages, batch, contactsPerAccount, timeoutMs } = PLAN.inbound;
  const { system, live, accountIds } = fleet;
  const network = new SandboxNetwork({ redis: system.redis, keys: system.keys, partitions: system.partitions });
  const seenBefore = live.receivedIds.size;

  await fleet.meter.begin();
  const t0 = performance.now();
  for (let i = 0; i < messages; i += batch) {
    const at = new Date().toISOString();
    const items: SandboxInbound[] = Array.from({ length: Math.min(batch, messages - i) }, (_, k) => {
      const n = i + k;
      const accountIndex = n % accountIds.length;
      const contact = Math.floor(n / accountIds.length) % contactsPerAccount;
      return { type: 'message', accountId: accountIds[accountIndex] as string, externalId: `bench-in-${n}`, from: `contact-${contact}`, fromName: `Contact ${contact}`, text: `in-${n}`, at };
    });
    await network.deliver(items);
  }
  const injectedMs = performance.now() - t0;
  const complete = await live.until(() => live.receivedIds.size - seenBefore >= messages, timeoutMs, 25);
  const seen = live.receivedIds.size - seenBefore;
  const cpu = await fleet.meter.end('inbound', messages, log);
  const [{ stored }] = (await system.sql<{ stored: number }>("select count(*)::int as stored from message where direction = 'in'")) as [{ stored: number }];
  const elapsedMs = (complete ? live.lastReceivedAt : performance.now()) - t0;
  const delays = live.receivedDelaysMs;
  log(`inbound: ${seen}/${messages} seen, ${stored} stored, injected in ${injectedMs.toFixed(0)} ms, all seen after ${elapsedMs.toFixed(0)} ms`);
  return {
    inbound_msgs_per_s: (seen * 1000) / elapsedMs,
    inbound_p50_ms: percentile(delays, 50),
    inbound_p99_ms: percentile(delays, 99),
    inbound_messages: messages,
    inbound_seen: seen,
    inbound_stored: stored,
    inbound_injected_per_s: (messages * 1000) / injectedMs,
    ...cpu,
  };
}
