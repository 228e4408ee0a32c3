import { Redis } from 'ioredis';
import type { SessionSink } from '../messenger-session';

// For the sandbox's integration tests only. libs/testing is not importable from a lib (module
// boundaries), so the isolation it gives is made here the same way: the same variable and
// default, a key prefix of each test file's own.
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Polls until `check` holds, failing with `description` after the deadline. */
export async function waitFor(check: () => Promise<boolean> | boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Deletes every key under the test file's prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.unlink(...found);
  } while (cursor !== '0');
}

/**
 * A sink that writes each report as one line into `events` (messages by external id), keeps
 * the last saved session, and calls `override` first where a test wants its own behaviour.
 */
export function recordingSink(events: string[], override: Partial<SessionSink> = {}): SessionSink & { saved: () => Buffer } {
  let saved: Buffer | null = null;
  const sink: SessionSink = {
    status: async (status, reason) => void events.push(reason ? `status ${status}: ${reason}` : `status ${status}`),
    qr: async () => void events.push('qr'),
    pairingCode: async () => void events.push('pairingCode'),
    loginRequired: async (step) => void events.push(`loginRequired ${step}`),
    profile: async () => void events.push('profile'),
    sessionSaved: async (session) => {
      saved = session;
      events.push('sessionSaved');
    },
    sessionDeleted: async () => void events.push('sessionDeleted'),
    messages: async (messages) => void events.push(`messages ${messages.map((m) => m.externalId).join(',')}`),
    edited: async (ref, text) => void events.push(`edited ${ref.chatId}/${ref.externalId}: ${text}`),
    revoked: async (ref) => void events.push(`revoked ${ref.chatId}/${ref.externalId}`),
    reacted: async (ref, reaction) => void events.push(`reacted ${ref.chatId}/${ref.externalId} ${reaction.sender.id} ${reaction.emoji}`),
    chatRead: async (chatId) => void events.push(`chatRead ${chatId}`),
    ack: async (receipt, status) => void events.push(`ack ${status} ${receipt.externalId}`),
    chats: async () => void events.push('chats'),
    catchUpCursor: async (cursor) => void events.push(`cursor ${cursor}`),
    died: (reason) => void events.push(`died: ${reason}`),
  };
  return {
    ...sink,
    ...override,
    saved: () => {
      if (!saved) throw new Error('no session was saved');
      return saved;
    },
  };
}
