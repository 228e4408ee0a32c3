import { performance } from 'node:perf_hooks';
import type { Message } from '@switchboard/contracts';
import type { HttpClient } from './http-client';
import type { LiveEvents } from './live-events';
import { summarize, type LatencySummary } from './stats';

export interface SendTarget {
  http: HttpClient;
  apiKey: string;
  accountIds: readonly string[];
}

export interface Post {
  /** The message id from the 202, or null when the API refused or failed. */
  id: string | null;
  /** performance.now() when the POST was issued. */
  start: number;
  /** performance.now() when its answer arrived. */
  answered: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The i-th send of a run: round-robin over the accounts, a unique text so deliveries can be counted. */
async function postOne(target: SendTarget, label: string, i: number): Promise<Post> {
  const accountId = target.accountIds[i % target.accountIds.length] as string;
  const start = performance.now();
  try {
    const response = await target.http.post<Message>(`/v1/accounts/${accountId}/messages`, target.apiKey, { to: `contact-${i % 7}`, text: `${label}-${i}` });
    return { id: response.status === 202 ? response.body.id : null, start, answered: performance.now() };
  } catch {
    return { id: null, start, answered: performance.now() };
  }
}

/** A fixed number of POSTs in flight ("full speed"), until `maxSends` or `maxMs`. */
export async function closedLoop(target: SendTarget, label: string, inFlight: number, maxSends: number, maxMs: number): Promise<Post[]> {
  const posts: Post[] = [];
  const deadline = performance.now() + maxMs;
  let next = 0;
  const lane = async () => {
    while (next < maxSends && performance.now() < deadline) posts.push(await postOne(target, label, next++));
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return posts;
}

/**
 * An open-loop schedule: send i leaves at start + i / rate whether or not earlier ones were
 * answered, as independent clients would. `shouldStop` ends it early.
 */
export async function openLoop(target: SendTarget, label: string, ratePerS: number, durationMs: number, shouldStop: () => boolean = () => false): Promise<{ posts: Post[]; maxLagMs: number }> {
  const total = Math.floor((ratePerS * durationMs) / 1000);
  const pending: Promise<Post>[] = [];
  const t0 = performance.now();
  let maxLagMs = 0;
  while (pending.length < total && !shouldStop()) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - t0) * ratePerS) / 1000) + 1);
    if (due > pending.length) maxLagMs = Math.max(maxLagMs, now - (t0 + (pending.length * 1000) / ratePerS));
    while (pending.length < due) pending.push(postOne(target, label, pending.length));
    await sleep(1);
  }
  return { posts: await Promise.all(pending), maxLagMs };
}

/** Waits (bounded) until every accepted send has been seen as `sent` by the Socket.IO client. */
export function drain(live: LiveEvents, posts: readonly Post[], timeoutMs: number): Promise<boolean> {
  const ids = posts.flatMap((p) => (p.id ? [p.id] : []));
  let from = 0;
  return live.until(() => {
    while (from < ids.length && live.sentAt.has(ids[from] as string)) from += 1;
    return from === ids.length;
  }, timeoutMs, 50);
}

export interface CarriedSends {
  posted: number;
  refused: number;
  sent: number;
  unsent: number;
  /** Sends seen as `sent` per second, from the first POST to the last `sent` event. */
  carriedPerS: number;
  /** Accepted POSTs per second while posting (what the API took in). */
  acceptedPerS: number;
  latencyMs: LatencySummary;
  /** POST → its 202: the API's share of the latency. */
  postMs: LatencySummary;
}

export function carried(live: LiveEvents, posts: readonly Post[]): CarriedSends {
  const latencies: number[] = [];
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let lastSent = -Infinity;
  let refused = 0;
  for (const post of posts) {
    firstStart = Math.min(firstStart, post.start);
    lastStart = Math.max(lastStart, post.start);
    if (!post.id) {
      refused += 1;
      continue;
    }
    const sentAt = live.sentAt.get(post.id);
    if (sentAt === undefined) continue;
    latencies.push(sentAt - post.start);
    lastSent = Math.max(lastSent, sentAt);
  }
  const accepted = posts.length - refused;
  return {
    posted: posts.length,
    refused,
    sent: latencies.length,
    unsent: accepted - latencies.length,
    carriedPerS: latencies.length > 0 ? (latencies.length * 1000) / (lastSent - firstStart) : 0,
    acceptedPerS: posts.length > 1 ? (accepted * 1000) / (lastStart - firstStart) : 0,
    latencyMs: summarize(latencies),
    postMs: summarize(posts.map((p) => p.answered - p.start)),
  };
}
