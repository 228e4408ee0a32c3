import type { Fleet } from '../fleet';
import { carried, closedLoop, drain, openLoop, type CarriedSends } from '../send-traffic';
import { PLAN } from '../settings';
import type { Figures } from './figures';

const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

function figuresOf(result: CarriedSends, suffix: string): Figures {
  return {
    [`outbound_sends_per_s${suffix}`]: result.carriedPerS,
    [`outbound_accepted_per_s${suffix}`]: result.acceptedPerS,
    [`outbound_p50_ms${suffix}`]: result.latencyMs.p50,
    [`outbound_p95_ms${suffix}`]: result.latencyMs.p95,
    [`outbound_p99_ms${suffix}`]: result.latencyMs.p99,
    [`outbound_max_ms${suffix}`]: result.latencyMs.max,
    [`outbound_post_p50_ms${suffix}`]: result.postMs.p50,
    [`outbound_post_p99_ms${suffix}`]: result.postMs.p99,
    [`outbound_posted${suffix}`]: result.posted,
    [`outbound_refused${suffix}`]: result.refused,
    [`outbound_unsent${suffix}`]: result.unsent,
  };
}

/**
 * Sends over HTTP, carried all the way to a `sent` event on the Socket.IO client: first with a
 * fixed number of POSTs in flight (full speed), then at fixed offered rates (open loop).
 */
export async function runOutbound(fleet: Fleet, log: (line: string) => void): Promise<Figures> {
  const { fullSpeed, offeredRates, offeredForMs, drainTimeoutMs } = PLAN.outbound;
  const figures: Figures = {};

  await fleet.meter.begin();
  const posts = await closedLoop(fleet.target, 'full', fullSpeed.inFlight, fullSpeed.maxSends, fullSpeed.maxMs);
  await drain(fleet.live, posts, drainTimeoutMs);
  const full = carried(fleet.live, posts);
  log(`outbound full speed: ${full.sent}/${full.posted} sent, ${full.carriedPerS.toFixed(0)}/s carried, ${full.acceptedPerS.toFixed(0)}/s accepted, p99 ${full.latencyMs.p99.toFixed(1)} ms (POST answered p50 ${full.postMs.p50.toFixed(1)} p99 ${full.postMs.p99.toFixed(1)} ms)`);
  Object.assign(figures, figuresOf(full, ''), await fleet.meter.end('outbound full', full.posted, log));
  await settle();

  for (const rate of offeredRates) {
    await fleet.meter.begin();
    const run = await openLoop(fleet.target, `rate${rate}`, rate, offeredForMs);
    await drain(fleet.live, run.posts, drainTimeoutMs);
    const result = carried(fleet.live, run.posts);
    log(`outbound at ${rate}/s: ${result.sent}/${result.posted} sent, ${result.carriedPerS.toFixed(0)}/s carried, p50 ${result.latencyMs.p50.toFixed(1)} p99 ${result.latencyMs.p99.toFixed(1)} ms (POST answered p50 ${result.postMs.p50.toFixed(1)} p99 ${result.postMs.p99.toFixed(1)} ms), scheduler lag ≤ ${run.maxLagMs.toFixed(1)} ms`);
    Object.assign(figures, figuresOf(result, `_at_${rate}`), { [`outbound_scheduler_lag_ms_at_${rate}`]: run.maxLagMs }, await fleet.meter.end(`outbound ${rate}`, result.posted, log));
    await settle();
  }
  return figures;
}
