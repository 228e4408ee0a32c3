import { writeFile } from 'node:fs/promises';
import type { Machine } from './machine';
import type { Figures } from './scenarios/figures';
import { REAL_CLIENTS_NOTE } from './scenarios/real-clients';
import { PLAN } from './settings';
import { round } from './stats';

export interface BenchReport {
  date: string;
  durationS: number;
  machine: Machine;
  settings: Record<string, string>;
  plan: unknown;
  figures: Figures;
  /** Scenario → why it failed. */
  errors: Record<string, string>;
  notes: string[];
}

type Verdict = 'holds' | 'missed' | 'none';

interface Row {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** The results.json name of the target, for rows that have one. */
  targetKey?: string;
}

const VERDICT_TEXT: Record<Verdict, string> = { holds: '✅ holds', missed: '❌ missed', none: '—' };

const known = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
const int = (n: number | null | undefined) => (known(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number | null | undefined) => (known(n) ? `${n.toFixed(1)}` : 'n/a');
const check = (value: number | null | undefined, holds: (v: number) => boolean): Verdict => (known(value) && holds(value) ? 'holds' : 'missed');

function rows(report: BenchReport): Row[] {
  const f = report.figures;
  const leaseS = Number(report.settings.LEASE_TTL_MS) / 1000;
  const baseline = f.baseline_jobs_per_s;
  const ratio = known(f.outbound_sends_per_s) && known(baseline) ? f.outbound_sends_per_s / baseline : null;
  const latency = (suffix: string) => `${ms(f[`outbound_p50_ms${suffix}`])} / ${ms(f[`outbound_p95_ms${suffix}`])} / ${ms(f[`outbound_p99_ms${suffix}`])} ms`;
  const unsent = (suffix: string) => (f[`outbound_unsent${suffix}`] ? `, ${int(f[`outbound_unsent${suffix}`])} never sent` : '');
  return [
    { figure: `Baseline: bare BullMQ (add + no-op, concurrency ${int(f.baseline_concurrency)})`, value: `${int(baseline)} jobs/s`, target: '', verdict: 'none' },
    {
      figure: `Outbound, full speed (${PLAN.outbound.fullSpeed.inFlight} POSTs in flight): sends/s carried to \`sent\``,
      value: `${int(f.outbound_sends_per_s)}/s (${known(ratio) ? ratio.toFixed(2) : 'n/a'}× baseline)${unsent('')}`,
      target: `≥ 1/3 of baseline (${int(known(baseline) ? baseline / 3 : null)}/s)`,
      verdict: check(ratio, (r) => r >= 1 / 3),
      targetKey: 'outbound_vs_baseline',
    },
    { figure: 'Outbound, full speed: latency p50 / p95 / p99', value: latency(''), target: '', verdict: 'none' },
    ...PLAN.outbound.offeredRates.flatMap((rate): Row[] => [
      { figure: `Outbound at ${rate}/s offered: carried`, value: `${int(f[`outbound_sends_per_s_at_${rate}`])}/s${unsent(`_at_${rate}`)}`, target: '', verdict: 'none' },
      {
        figure: `Outbound at ${rate}/s: latency p50 / p95 / p99 (POST → \`sent\` event)`,
        value: latency(`_at_${rate}`),
        target: rate === 500 ? 'p99 ≤ 50 ms' : '',
        verdict: rate === 500 ? check(f.outbound_p99_ms_at_500, (v) => v <= 50) : 'none',
        ...(rate === 500 ? { targetKey: 'outbound_p99_at_500' } : {}),
      },
    ]),
    { figure: 'Inbound: messages/s stored and seen as `message.received`', value: `${int(f.inbound_msgs_per_s)}/s`, target: '≥ 10,000/s', verdict: check(f.inbound_msgs_per_s, (v) => v >= 10_000), targetKey: 'inbound_rate' },
    { figure: 'Inbound: delay p50 / p99 (network `at` → event)', value: `${ms(f.inbound_p50_ms)} / ${ms(f.inbound_p99_ms)} ms`, target: '', verdict: 'none' },
    {
      figure: `Failover (kill -9, ${int(f.failover_accounts_moved)} accounts): all \`connected\` elsewhere`,
      value: known(f.failover_s) ? `${f.failover_s.toFixed(2)} s${f.failover_recovered === 0 ? ' (not all came back)' : ''}` : 'n/a',
      target: `≤ LEASE_TTL_MS + 5 s (${leaseS + 5} s)`,
      verdict: f.failover_recovered === 1 ? check(f.failover_s, (v) => v <= leaseS + 5) : 'missed',
      targetKey: 'failover_time',
    },
    { figure: `Failover: sends lost (of ${int(f.failover_sends)})`, value: int(f.failover_lost), target: '0', verdict: check(f.failover_lost, (v) => v === 0), targetKey: 'failover_lost' },
    { figure: 'Failover: sends repeated', value: int(f.failover_repeated), target: '0', verdict: check(f.failover_repeated, (v) => v === 0), targetKey: 'failover_repeated' },
    { figure: 'One worker, 1,000 sandbox accounts connected: RSS', value: `${int(f.worker_rss_mb_1000)} MB`, target: '', verdict: 'none' },
    { figure: 'One worker, 5,000 sandbox accounts connected: RSS', value: `${int(f.worker_rss_mb_5000)} MB`, target: '< 300 MB', verdict: check(f.worker_rss_mb_5000, (v) => v < 300), targetKey: 'worker_rss_5000' },
    { figure: 'Restore 1,000 accounts (worker start → all `connected`)', value: known(f.restore_1000_s) ? `${f.restore_1000_s.toFixed(2)} s` : 'n/a', target: '', verdict: 'none' },
    { figure: 'Restore 5,000 accounts (worker start → all `connected`)', value: known(f.restore_5000_s) ? `${f.restore_5000_s.toFixed(2)} s` : 'n/a', target: '', verdict: 'none' },
    { figure: 'Memory per gramjs client (100, fake data centre)', value: REAL_CLIENTS_NOTE, target: '', verdict: 'none' },
    { figure: 'Memory per WhatsApp Chromium session (5, fake page)', value: REAL_CLIENTS_NOTE, target: '', verdict: 'none' },
  ];
}

/** CPU per unit of a phase by process, from the `cpu_ms_per_unit_<phase>_<role>` figures. */
function cpuPerUnit(f: Figures, phase: string): { total: number; parts: string } | null {
  const prefix = `cpu_ms_per_unit_${phase}_`;
  const entries = Object.entries(f).filter((e): e is [string, number] => e[0].startsWith(prefix) && e[0] !== `${prefix}other` && known(e[1]));
  if (entries.length === 0) return null;
  const total = entries.reduce((a, [, v]) => a + v, 0);
  const parts = entries
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.slice(prefix.length)} ${v.toFixed(2)}`)
    .join(', ');
  return { total, parts };
}

/** Where the time goes, measured in this run: the first thing to read when a target is missed. */
function costNotes(report: BenchReport): string[] {
  const f = report.figures;
  const send = cpuPerUnit(f, 'outbound_full');
  const job = cpuPerUnit(f, 'baseline');
  const message = cpuPerUnit(f, 'inbound');
  const cores = report.machine.cores;
  const notes: string[] = [];
  if (send && job) {
    notes.push(
      `CPU per send at full speed: ${send.total.toFixed(2)} ms in all (${send.parts}), against ${job.total.toFixed(2)} ms per bare BullMQ job; ` +
        `${cores} cores cap the pipeline near ${int((cores * 1000) / send.total)} sends/s at that cost. ` +
        `Per send: ${ms(f.pg_write_xacts_per_unit_outbound_full)} PostgreSQL write transactions, ${ms(f.redis_cmds_per_unit_outbound_full)} Redis commands ` +
        `(bare BullMQ: ${ms(f.redis_cmds_per_unit_baseline)} per job).`,
    );
  }
  if (message) notes.push(`CPU per inbound message: ${message.total.toFixed(3)} ms in all (${message.parts}).`);
  const disturbed = Object.entries(f).filter((e): e is [string, number] => /^cpu_pct_.+_other$/.test(e[0]) && known(e[1]) && e[1] >= 10);
  if (disturbed.length > 0) {
    notes.push(`Other processes were busy during: ${disturbed.map(([k, v]) => `${k.slice('cpu_pct_'.length, -'_other'.length)} (${v}% of a core)`).join(', ')}; those figures are disturbed.`);
  }
  return notes;
}

export function renderTable(report: BenchReport): string {
  const m = report.machine;
  const s = report.settings;
  const lines = [
    `**${report.date}** — ${m.os}; ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; Node ${m.node}; PostgreSQL ${m.postgres}; Redis ${m.redis}; commit ${m.commit}; run took ${Math.round(report.durationS)} s.`,
    '',
    `Settings: 1 api, ${s.BENCH_WORKERS} workers, PARTITIONS=${s.PARTITIONS}, PARTITION_CONCURRENCY=${s.PARTITION_CONCURRENCY}, ` +
      `LEASE_TTL_MS=${s.LEASE_TTL_MS}, SEND_RATE_PER_SECOND=${s.SEND_RATE_PER_SECOND}, SEND_BURST=${s.SEND_BURST}, ` +
      `SANDBOX_ACK_DELAY_MS=${s.SANDBOX_ACK_DELAY_MS}, LOG_LEVEL=${s.LOG_LEVEL}.`,
    '',
    '| Figure | Value | Target | Verdict |',
    '|---|---|---|---|',
    ...rows(report).map((r) => `| ${r.figure} | ${r.value} | ${r.target || '—'} | ${VERDICT_TEXT[r.verdict]} |`),
    '',
    ...[...report.notes, ...costNotes(report)].map((n) => `- ${n}`),
    ...Object.entries(report.errors).map(([scenario, error]) => `- **${scenario} failed**: ${error}`),
  ];
  return lines.join('\n');
}

export async function writeResults(path: string, report: BenchReport): Promise<void> {
  const figures = Object.fromEntries(Object.entries(report.figures).map(([k, v]) => [k, known(v) ? round(v, 2) : null]));
  const targets = Object.fromEntries(
    rows(report).flatMap((r) => (r.targetKey ? [[r.targetKey, { value: r.value, target: r.target, holds: r.verdict === 'holds' }]] : [])),
  );
  const body = {
    ...figures,
    targets,
    meta: { date: report.date, durationS: round(report.durationS, 1), machine: report.machine, settings: report.settings, plan: report.plan, notes: [...report.notes, ...costNotes(report)], errors: report.errors },
  };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}
