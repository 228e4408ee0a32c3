/** Settings of the api and worker processes under the bench (on top of the test defaults). */
export const PROCESS_SETTINGS: Record<string, string> = {
  PARTITIONS: '64',
  LEASE_TTL_MS: '5000',
  // The per-account send pace (a product limit, 5/s by default) must not be what we measure.
  SEND_RATE_PER_SECOND: '100000',
  SEND_BURST: '1000',
  PARTITION_CONCURRENCY: '50',
  // The production default: acks (delivered, read) are part of the load every send causes.
  SANDBOX_ACK_DELAY_MS: '100',
  SANDBOX_QR_TTL_MS: '60000',
  LOG_LEVEL: 'warn',
};

/** What each scenario does: every loop is bounded by these counts and times. */
export const PLAN = {
  workers: ['bench-w1', 'bench-w2'],
  baseline: { jobs: 20_000, timeoutMs: 60_000 },
  accounts: 100,
  connectBatch: 20,
  outbound: {
    fullSpeed: { inFlight: 256, maxSends: 20_000, maxMs: 15_000 },
    // 100/s shows the latency floor of an unloaded pipeline; the issue asks for 500/s and 1,000/s.
    offeredRates: [100, 500, 1_000],
    offeredForMs: 10_000,
    drainTimeoutMs: 60_000,
  },
  inbound: { messages: 50_000, batch: 1_000, contactsPerAccount: 5, timeoutMs: 90_000 },
  failover: { ratePerS: 200, killAfterMs: 3_000, afterRecoveryMs: 2_000, extraWaitMs: 20_000, drainTimeoutMs: 60_000 },
  scale: { first: 1_000, total: 5_000, restoreConcurrency: 200, settleMs: 3_000, restoreTimeoutMs: 180_000 },
  /** The whole run is cut short (and cleaned up) past this. */
  deadlineMs: 9.5 * 60_000,
} as const;

export const leaseTtlMs = (): number => Number(PROCESS_SETTINGS.LEASE_TTL_MS);

/** `BENCH_SCENARIOS=outbound,inbound` runs only those (while profiling one figure); default all. */
export function selectedScenarios(env: NodeJS.ProcessEnv = process.env): (name: string) => boolean {
  const only = env.BENCH_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean);
  return (name) => !only || only.length === 0 || only.includes(name);
}

/** `BENCH_CPU_PROFILE=<dir>`: every api and worker writes a V8 CPU profile there when it exits. */
export function profilingArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env.BENCH_CPU_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
