import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SwitchboardSystem } from '@switchboard/testing';
import { startFleet, stopFleet, type Fleet } from './fleet';
import { describeMachine } from './machine';
import { PhaseMeter } from './phase-meter';
import { renderTable, writeResults, type BenchReport } from './report';
import { runBaseline } from './scenarios/baseline';
import { runFailover } from './scenarios/failover';
import type { Figures } from './scenarios/figures';
import { runInbound } from './scenarios/inbound';
import { runOutbound } from './scenarios/outbound';
import { realClientFigures } from './scenarios/real-clients';
import { runScale } from './scenarios/scale';
import { NOTES } from './notes';
import { PLAN, PROCESS_SETTINGS, profilingArgs, selectedScenarios } from './settings';

// A partial run (BENCH_SCENARIOS) never overwrites the tracked results of a full one.
const RESULTS_PATH = process.env.BENCH_SCENARIOS ? join(process.cwd(), '.nx', 'bench-results.partial.json') : join(process.cwd(), 'bench', 'results.json');
const started = performance.now();
const log = (line: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

/** Cleanups run once each, newest first: on success, on failure, on SIGINT and at the deadline. */
const cleanups: (() => Promise<void>)[] = [];
function onCleanup(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = () => (done ??= run().catch((error: unknown) => console.error('cleanup failed:', error)));
  cleanups.push(once);
  return once;
}
async function cleanupAll(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) await cleanup();
}
function abort(reason: string, code: number): void {
  console.error(`bench: ${reason}; cleaning up (processes, database, Redis keys)`);
  void cleanupAll().finally(() => process.exit(code));
}
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`deadline of ${PLAN.deadlineMs / 1000} s passed`, 1), PLAN.deadlineMs).unref();

const selected = selectedScenarios();
const figures: Figures = {};
const errors: Record<string, string> = {};
async function scenario(name: string, run: () => Promise<Figures>): Promise<void> {
  if (name !== 'setup' && !selected(name)) return;
  log(`${name}: start`);
  try {
    Object.assign(figures, await run());
  } catch (error) {
    errors[name] = error instanceof Error ? error.message : String(error);
    log(`${name}: FAILED: ${errors[name]}`);
  }
}

async function main(): Promise<number> {
  const date = new Date().toISOString();
  const system = await SwitchboardSystem.create('bench', PROCESS_SETTINGS);
  system.nodeArgs = profilingArgs();
  const stopSystem = onCleanup(() => system.stop());
  const machine = await describeMachine(system);
  log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}`);

  await scenario('baseline', async () => {
    const meter = new PhaseMeter(system);
    await meter.begin();
    const result = await runBaseline({
      redisUrl: system.env.redisUrl,
      prefix: `${system.env.redisPrefix}:baseline`,
      jobs: PLAN.baseline.jobs,
      concurrency: Number(PROCESS_SETTINGS.PARTITION_CONCURRENCY),
      timeoutMs: PLAN.baseline.timeoutMs,
    });
    return { ...result, ...(await meter.end('baseline', PLAN.baseline.jobs, log)) };
  });

  let fleet: Fleet | null = null;
  const stopTraffic = onCleanup(async () => stopFleet(fleet));
  const needsFleet = ['outbound', 'inbound', 'failover'].some(selected);
  if (needsFleet) await scenario('setup', async () => {
    fleet = await startFleet(system);
    log(`setup: ${fleet.accountIds.length} accounts connected`);
    return { worker_rss_mb_idle: Math.max(...fleet.idleWorkerRssMb) };
  });
  const ready = fleet as Fleet | null;
  if (ready) {
    await scenario('outbound', () => runOutbound(ready, log));
    await scenario('inbound', () => runInbound(ready, log));
    await scenario('failover', () => runFailover(ready, log));
  }
  await stopTraffic();
  await stopSystem();

  await scenario('scale', async () => {
    const scaleSystem = await SwitchboardSystem.create('bench-scale', PROCESS_SETTINGS);
    scaleSystem.nodeArgs = profilingArgs();
    const stopScale = onCleanup(() => scaleSystem.stop());
    try {
      return await runScale(scaleSystem, log);
    } finally {
      await stopScale();
    }
  });
  Object.assign(figures, realClientFigures());
  if (typeof figures.outbound_sends_per_s === 'number' && typeof figures.baseline_jobs_per_s === 'number') {
    figures.outbound_vs_baseline_ratio = figures.outbound_sends_per_s / figures.baseline_jobs_per_s;
  }

  const report: BenchReport = {
    date,
    durationS: (performance.now() - started) / 1000,
    machine,
    settings: { ...PROCESS_SETTINGS, BENCH_WORKERS: String(PLAN.workers.length) },
    plan: PLAN,
    figures,
    errors,
    notes: NOTES,
  };
  console.log(`\n${renderTable(report)}\n`);
  await writeResults(RESULTS_PATH, report);
  log(`wrote ${RESULTS_PATH}`);
  return Object.keys(errors).length === 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanupAll();
    process.exit(1);
  });
