import type { Redis } from 'ioredis';
import type { RedisKeys } from '@switchboard/queue';

/** A client of an account connected to the simulated network (API.md: sandbox devices). */
export interface SandboxDevice {
  workerId: string;
  fence: string;
  since: string;
}

interface Registered {
  value: string;
  onGone: (reason: string) => void;
}

// The newer client takes the connection; a connect while another client is connected counts a conflict.
const CONNECT = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then redis.call('INCR', KEYS[2]) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return current and 1 or 0`;
// Per client: 1 still connected (renewed), 2 another client took over, 0 lapsed.
const BEAT = `
local answers = {}
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current == ARGV[i + 1] then
    redis.call('PEXPIRE', key, ARGV[1])
    answers[i] = 1
  elseif current then
    answers[i] = 2
  else
    answers[i] = 0
  end
end
return answers`;
const DISCONNECT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export const OPENED_ELSEWHERE = 'The account was opened on another client.';
export const CONNECTION_LOST = 'The connection to the network was lost.';

type ClientsRedis = Redis & {
  sandboxConnect(client: string, conflicts: string, value: string, ttl: number): Promise<number>;
  sandboxBeat(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
  sandboxDisconnect(client: string, value: string): Promise<number>;
};

/**
 * The single-client rule of real networks, played by the simulated one: an account has at most
 * one connected client. A newer client disconnects the older one (which hears "opened on another
 * client") and counts a conflict; a client whose process died or froze lapses once its heartbeat
 * stops for `ttlMs`, as a TCP connection dies with its process. One heartbeat per worker renews
 * all of its clients in one round trip.
 */
export class SandboxClients {
  private readonly redis: ClientsRedis;
  private readonly registered = new Map<string, Registered>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    redis.defineCommand('sandboxConnect', { numberOfKeys: 2, lua: CONNECT });
    redis.defineCommand('sandboxBeat', { lua: BEAT });
    redis.defineCommand('sandboxDisconnect', { numberOfKeys: 1, lua: DISCONNECT });
    this.redis = redis as ClientsRedis;
  }

  /** Connects a client of the account; `onGone` hears when it is disconnected by the network. */
  async connect(accountId: string, device: Omit<SandboxDevice, 'since'>, onGone: (reason: string) => void): Promise<string> {
    const value = JSON.stringify({ ...device, since: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) });
    const k = this.keys.sandbox;
    await this.redis.sandboxConnect(k.client(accountId), k.conflicts(accountId), value, this.ttlMs);
    this.registered.set(accountId, { value, onGone });
    this.schedule();
    return value;
  }

  /** Whether this client (the value `connect` returned) is the account's connected client. */
  async isConnected(accountId: string, value: string): Promise<boolean> {
    return (await this.redis.get(this.keys.sandbox.client(accountId))) === value;
  }

  async disconnect(accountId: string, value: string): Promise<void> {
    if (this.registered.get(accountId)?.value === value) this.registered.delete(accountId);
    await this.redis.sandboxDisconnect(this.keys.sandbox.client(accountId), value);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.registered.clear();
  }

  private schedule(): void {
    if (this.timer || this.registered.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.beat()
        .catch(this.onError)
        .finally(() => this.schedule());
    }, Math.max(50, Math.floor(this.ttlMs / 3)));
  }

  private async beat(): Promise<void> {
    const clients = [...this.registered];
    for (let i = 0; i < clients.length; i += 500) {
      const chunk = clients.slice(i, i + 500);
      const answers = await this.redis.sandboxBeat(
        chunk.length,
        ...chunk.map(([accountId]) => this.keys.sandbox.client(accountId)),
        this.ttlMs,
        ...chunk.map(([, r]) => r.value),
      );
      chunk.forEach(([accountId, registered], j) => {
        if (answers[j] === 1 || this.registered.get(accountId) !== registered) return;
        this.registered.delete(accountId);
        registered.onGone(answers[j] === 2 ? OPENED_ELSEWHERE : CONNECTION_LOST);
      });
    }
  }
}

/** The devices view of an account: its connected client (at most one) and the conflicts so far. */
export async function sandboxDevicesOf(redis: Redis, keys: RedisKeys, accountId: string): Promise<{ items: SandboxDevice[]; conflicts: number }> {
  const [client, conflicts] = await redis.mget(keys.sandbox.client(accountId), keys.sandbox.conflicts(accountId));
  const items = client ? [JSON.parse(client) as SandboxDevice].map(({ workerId, fence, since }) => ({ workerId, fence, since })) : [];
  return { items, conflicts: Number(conflicts ?? 0) };
}
