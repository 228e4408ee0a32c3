import { PLAN } from './settings';

/** How each figure was taken: printed under the table and kept in results.json. */
export const NOTES = [
  'SEND_RATE_PER_SECOND=100000 and SEND_BURST=1000 lift the per-account send pace (5/s by default), so the token bucket does not throttle the pipeline being measured.',
  'Everything shares this one machine: the bench process (load generator and Socket.IO client), the api, the workers, PostgreSQL and Redis.',
  `Baseline: one bullmq Queue and Worker in the bench process on the same Redis, ${PLAN.baseline.jobs.toLocaleString('en-US')} no-op jobs added in bulk, from the first add to the last completion.`,
  `Outbound: ${PLAN.accounts} sandbox accounts over ${PLAN.workers.length} workers; each send is API → queue → owning worker → sandbox → PostgreSQL → event stream → api → Socket.IO. ` +
    'Latency is the `message.status` `sent` arrival at the client minus the POST start; carried = `sent` events / (last `sent` − first POST). Offered rates are open loop, 10 s each. ' +
    `Full speed keeps ${PLAN.outbound.fullSpeed.inFlight} POSTs in flight: the api batches the requests of a tick, so 64 in flight measured the POST round trip (64 / its latency), not the pipeline.`,
  `Inbound: ${PLAN.inbound.messages.toLocaleString('en-US')} messages injected with SandboxNetwork.deliver in batches of ${PLAN.inbound.batch} as fast as possible; ` +
    'rate = messages / (last `message.received` − first injection); the delay runs from each item\'s `at` (its injection time), so it includes the backlog.',
  `Failover: sends at ${PLAN.failover.ratePerS}/s; time from kill -9 to the last of the victim's accounts \`connected\` on the survivor; lost = refused, not \`sent\` in PostgreSQL, or absent from the sandbox outbox; repeated = outbox entries beyond one per send.`,
  `Scale: accounts and sealed sessions written straight to PostgreSQL (no QR); one worker with RESTORE_CONCURRENCY_SANDBOX=${PLAN.scale.restoreConcurrency}; RSS = VmRSS ${PLAN.scale.settleMs / 1000} s after the last account connected.`,
];
