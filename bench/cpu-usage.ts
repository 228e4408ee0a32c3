import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_S = 100;

export type Roles = Record<string, number[]>;

interface Snapshot {
  at: number;
  ticks: Record<string, number>;
}

async function ticksOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

/** Busy ticks of the whole machine (all CPUs), from the first line of /proc/stat. */
async function machineTicks(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce((a: number, b) => a + (b ?? 0), 0);
}

/** Processes whose command is `comm` (PostgreSQL backends, redis-server): read-only, from /proc. */
export async function pidsNamed(comm: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (name.trim() === comm) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Where the CPU went during a phase, per role (api, each worker, PostgreSQL, Redis, the bench
 * itself), as a share of one core: the first thing to read when a figure misses its target.
 */
export class CpuUsage {
  private start: Snapshot | null = null;

  constructor(private readonly roles: () => Promise<Roles>) {}

  private async snapshot(): Promise<Snapshot> {
    const ticks: Record<string, number> = {};
    for (const [role, pids] of Object.entries(await this.roles())) {
      ticks[role] = (await Promise.all(pids.map(ticksOf))).reduce((a, b) => a + b, 0);
    }
    // Whatever else ran meanwhile (another test run, the kernel's own threads): a run disturbed
    // by a neighbour shows here instead of silently in the figures.
    ticks.other = (await machineTicks()) - Object.values(ticks).reduce((a, b) => a + b, 0);
    return { at: performance.now(), ticks };
  }

  async begin(): Promise<void> {
    this.start = await this.snapshot();
  }

  /** Percent of one core per role since `begin()` (200 % = both cores of a 2-core machine), and CPU seconds. */
  async end(): Promise<{ percent: Record<string, number>; cpuSeconds: Record<string, number> }> {
    const start = this.start;
    if (!start) throw new Error('CpuUsage.end() without begin()');
    const end = await this.snapshot();
    const seconds = (end.at - start.at) / 1000;
    // The snapshots read /proc one file after another: `other` can come out a tick below zero.
    const cpuSeconds = Object.fromEntries(Object.entries(end.ticks).map(([role, t]) => [role, Math.max(0, t - (start.ticks[role] ?? 0)) / TICKS_PER_S]));
    const percent = Object.fromEntries(Object.entries(cpuSeconds).map(([role, s]) => [role, Math.round((s / seconds) * 100)]));
    return { percent, cpuSeconds };
  }
}
