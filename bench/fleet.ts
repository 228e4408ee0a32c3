import type { SwitchboardSystem, Tenant } from '@switchboard/testing';
import { HttpClient } from './http-client';
import { LiveEvents } from './live-events';
import { PhaseMeter } from './phase-meter';
import { memoryOf } from './process-memory';
import type { SendTarget } from './send-traffic';
import { PLAN } from './settings';

/** The running system the outbound, inbound and failover scenarios share. */
export interface Fleet {
  system: SwitchboardSystem;
  tenant: Tenant;
  accountIds: string[];
  http: HttpClient;
  live: LiveEvents;
  target: SendTarget;
  /** Resident memory of each worker before it had any account. */
  idleWorkerRssMb: number[];
  meter: PhaseMeter;
}

/** Api, workers, a tenant with its Socket.IO client, and the sandbox accounts connected by QR. */
export async function startFleet(system: SwitchboardSystem): Promise<Fleet> {
  await system.startApi();
  await system.startWorkers(...PLAN.workers);
  const idleWorkerRssMb = await Promise.all(PLAN.workers.map(async (id) => (await memoryOf(system.worker(id).pid)).rssMb));
  const tenant = await system.createTenant('bench');
  const http = new HttpClient(system.apiUrl);
  const live = new LiveEvents(system.apiUrl, tenant.apiKey);
  await live.connected();

  const accountIds: string[] = [];
  for (let i = 0; i < PLAN.accounts; i += PLAN.connectBatch) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(PLAN.connectBatch, PLAN.accounts - i) }, (_, k) => system.createSandboxAccount(tenant, `bench-${i + k}`)),
    );
    await Promise.all(batch.map((a) => system.connectByQr(tenant, a.id)));
    accountIds.push(...batch.map((a) => a.id));
  }
  // The harness's own stream tail decodes every event in this process; the scenarios listen
  // over Socket.IO instead, so it stops here to leave the CPU to the system under test.
  await system.events.close();
  return { system, tenant, accountIds, http, live, target: { http, apiKey: tenant.apiKey, accountIds }, idleWorkerRssMb, meter: new PhaseMeter(system) };
}

export function stopFleet(fleet: Fleet | null): void {
  fleet?.live.close();
  fleet?.http.close();
}
