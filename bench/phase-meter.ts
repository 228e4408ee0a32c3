import { availableParallelism } from 'node:os';
import type { SwitchboardSystem } from '@switchboard/testing';
import { CpuUsage, pidsNamed, type Roles } from './cpu-usage';
import type { Figures } from './scenarios/figures';
import { WorkCounters } from './work-counters';

/** The processes whose CPU a phase accounts for. */
function rolesOf(system: SwitchboardSystem): () => Promise<Roles> {
  return async () => {
    const roles: Roles = { bench: [process.pid], postgres: await pidsNamed('postgres'), redis: await pidsNamed('redis-server') };
    system.apis.forEach((api, i) => (roles[`api${i + 1}`] = [api.process.pid]));
    for (const [id, proc] of system.workers) if (proc.running) roles[id] = [proc.pid];
    return roles;
  };
}

const key = (s: string) => s.replace(/[^a-z0-9]+/gi, '_').toLowerCase();

/**
 * What a phase cost: CPU per process (% of one core) and PostgreSQL transactions and Redis
 * commands per unit of work (a send, a message). The breakdown to read when a figure misses.
 */
export class PhaseMeter {
  private readonly cpu: CpuUsage;
  private readonly work: WorkCounters;

  constructor(system: SwitchboardSystem) {
    this.cpu = new CpuUsage(rolesOf(system));
    this.work = new WorkCounters(system);
  }

  async begin(): Promise<void> {
    await Promise.all([this.cpu.begin(), this.work.begin()]);
  }

  async end(phase: string, units: number, log: (line: string) => void): Promise<Figures> {
    const { percent, cpuSeconds } = await this.cpu.end();
    const work = await this.work.end();
    const per = (n: number) => (units > 0 ? n / units : Number.NaN);
    const topRedis = [...work.redisByCommand].sort((a, b) => b[1] - a[1]).slice(0, 12);
    const cpuMsPerUnit = Object.fromEntries(Object.entries(cpuSeconds).map(([role, s]) => [role, per(s * 1000)]));
    const totalMs = Object.entries(cpuMsPerUnit).reduce((a, [role, ms]) => (role === 'other' ? a : a + ms), 0);
    log(`${phase} CPU (% of one core): ${Object.entries(percent).map(([role, pct]) => `${role} ${pct}`).join(', ')}`);
    log(
      `${phase} CPU ms per unit: ${Object.entries(cpuMsPerUnit).map(([role, ms]) => `${role} ${ms.toFixed(2)}`).join(', ')}; total ${totalMs.toFixed(2)} ms without other ` +
        `(${availableParallelism()} cores: at most ~${Math.round((availableParallelism() * 1000) / totalMs)} units/s at this cost)`,
    );
    log(
      `${phase} per unit (${units}): PostgreSQL ${per(work.pgWriteTransactions).toFixed(1)} write transactions (~${per(work.pgTransactions).toFixed(1)} in all), ` +
        `${per(work.redisCommands).toFixed(1)} Redis commands (${topRedis.map(([name, n]) => `${name} ${per(n).toFixed(1)}`).join(', ')})`,
    );
    return {
      ...Object.fromEntries(Object.entries(percent).map(([role, pct]) => [`cpu_pct_${key(phase)}_${key(role)}`, pct])),
      ...Object.fromEntries(Object.entries(cpuMsPerUnit).map(([role, ms]) => [`cpu_ms_per_unit_${key(phase)}_${key(role)}`, ms])),
      [`pg_write_xacts_per_unit_${key(phase)}`]: per(work.pgWriteTransactions),
      [`redis_cmds_per_unit_${key(phase)}`]: per(work.redisCommands),
    };
  }
}
