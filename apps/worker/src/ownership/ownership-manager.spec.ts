import { createLogger } from '@switchboard/config';
import { partitionsOwnedBy } from '@switchboard/queue';
import { OwnershipManager, type PartitionLifecycle } from './ownership-manager';
import type { PartitionLeases } from './partition-lease';
import type { WorkerRegistry } from './worker-registry';

const PARTITIONS = 16;
const TTL_MS = 1_000;
// What the manager derives from a 1 s TTL: a tick every 250 ms; a lease is trusted until 200 ms
// before it would expire, so for 800 ms after the renewal that last succeeded was sent.
const TICK_MS = 250;
const TRUSTED_MS = 800;
const T0 = 1_700_000_000_000;
const ME = 'worker-a';
const OTHER = 'worker-b';

/** Anything the code under test does that the real collaborators would refuse or never see. */
type Violations = string[];

/** Calls of a method the fake does not have fail at once, instead of passing `undefined` along. */
function strict<T extends object>(name: string, target: T, violations: Violations): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property === 'then' || property in object) return Reflect.get(object, property, receiver);
      violations.push(`${name}.${property} is not part of the fake`);
      throw new Error(`${name}.${property} was not expected`);
    },
  });
}

const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));

interface Lease {
  holder: string;
  token: string;
  expiresAt: number;
}

/** Redis as PartitionLeases sees it: one holder per lease, a token that only grows, leases that expire. */
class FakeLeaseStore {
  private readonly leases = new Map<number, Lease>();
  private readonly counters = new Map<number, number>();
  /** Lease commands of the worker under test fail (Redis unreachable from it). */
  unreachable = false;
  readonly renewals: number[] = [];
  readonly releases: number[] = [];

  constructor(
    private readonly violations: Violations,
    private readonly log: string[],
  ) {}

  holderOf(partition: number): Lease | undefined {
    const lease = this.leases.get(partition);
    return lease && Date.now() < lease.expiresAt ? lease : undefined;
  }

  private grant(partition: number, holder: string): string {
    const token = String((this.counters.get(partition) ?? 0) + 1);
    this.counters.set(partition, Number(token));
    this.leases.set(partition, { holder, token, expiresAt: Date.now() + TTL_MS });
    return token;
  }

  /** Another worker takes a free (or expired) lease. */
  takeFor(holder: string, partition: number): string {
    if (this.holderOf(partition)) throw new Error(`test setup: lease ${partition} is not free`);
    return this.grant(partition, holder);
  }

  /** Our lease expired in Redis unnoticed (a pause, a clock jump) and another worker took it. */
  stealFor(holder: string, partition: number): string {
    this.leases.delete(partition);
    return this.grant(partition, holder);
  }

  leasesOf(workerId: string): PartitionLeases {
    const fake: Pick<PartitionLeases, 'acquire' | 'renew' | 'release'> = {
      acquire: async (partition) => {
        if (this.unreachable) return unreachable();
        this.log.push(`acquire ${partition}`);
        return this.holderOf(partition) ? null : this.grant(partition, workerId);
      },
      renew: async (partition, token) => {
        if (this.unreachable) return unreachable();
        this.renewals.push(partition);
        const lease = this.holderOf(partition);
        if (!lease || lease.holder !== workerId || lease.token !== token) return false;
        lease.expiresAt = Date.now() + TTL_MS;
        return true;
      },
      release: async (partition, token) => {
        if (this.unreachable) return unreachable();
        this.log.push(`release ${partition}`);
        this.releases.push(partition);
        const lease = this.holderOf(partition);
        if (!lease || lease.holder !== workerId || lease.token !== token) {
          this.violations.push(`released lease ${partition} with token ${token}, which ${workerId} does not hold`);
          return false;
        }
        this.leases.delete(partition);
        return true;
      },
    };
    return strict('leases', fake, this.violations) as PartitionLeases;
  }
}

class FakeRegistry {
  live: string[] = [ME];
  left = false;
  beatHook: () => Promise<void> = async () => undefined;
  readonly stopped: number[] = [];

  constructor(
    private readonly violations: Violations,
    private readonly log: string[],
  ) {}

  private check(call: string): void {
    this.log.push(call);
    if (this.left) this.violations.push(`registry.${call} after leave`);
  }

  asRegistry(): WorkerRegistry {
    const fake: Pick<WorkerRegistry, 'beatAndListLive' | 'markRunning' | 'markStopped' | 'leave'> = {
      beatAndListLive: async () => {
        this.check('beat');
        await this.beatHook();
        return [...this.live];
      },
      markRunning: async (partition) => this.check(`markRunning ${partition}`),
      markStopped: async (partition) => {
        this.check(`markStopped ${partition}`);
        this.stopped.push(partition);
      },
      leave: async () => {
        this.check('leave');
        this.left = true;
      },
    };
    return strict('registry', fake, this.violations) as WorkerRegistry;
  }
}

/** A partition host: refuses to start what runs already or what it holds no lease for. */
class FakeLifecycle implements PartitionLifecycle {
  /** partition → the token it was started with. */
  readonly running = new Map<number, string>();
  readonly started: [number, string][] = [];
  readonly drained: number[] = [];
  readonly fenced: number[] = [];
  startHook: (partition: number) => Promise<void> = async () => undefined;
  drainHook: (partition: number) => Promise<void> = async () => undefined;

  constructor(
    private readonly store: FakeLeaseStore,
    private readonly violations: Violations,
    private readonly log: string[],
  ) {}

  async start(partition: number, token: string): Promise<void> {
    this.log.push(`start ${partition}`);
    const lease = this.store.holderOf(partition);
    if (this.running.has(partition)) this.violations.push(`start ${partition} while it runs`);
    if (lease?.holder !== ME || lease.token !== token) this.violations.push(`start ${partition} with token ${token}, not the lease's`);
    this.running.set(partition, token);
    this.started.push([partition, token]);
    await this.startHook(partition);
  }

  async drain(partition: number): Promise<void> {
    this.log.push(`drain ${partition}`);
    if (!this.running.has(partition)) this.violations.push(`drain ${partition}, which does not run`);
    this.drained.push(partition);
    await this.drainHook(partition);
    this.running.delete(partition);
  }

  fence(partition: number): void {
    this.log.push(`fence ${partition}`);
    if (!this.running.has(partition)) this.violations.push(`fence ${partition}, which does not run`);
    this.running.delete(partition);
    this.fenced.push(partition);
  }
}

interface Gate {
  opened: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets every pending promise chain (fakes resolve at once) run to its end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the clock (and any timers due) forward. */
async function elapse(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await settle();
}

let violations: Violations;

function setup(live: string[] = [ME]) {
  violations = [];
  const log: string[] = [];
  const store = new FakeLeaseStore(violations, log);
  const registry = new FakeRegistry(violations, log);
  registry.live = live;
  const lifecycle = new FakeLifecycle(store, violations, log);
  const manager = new OwnershipManager({
    workerId: ME,
    partitions: PARTITIONS,
    leaseTtlMs: TTL_MS,
    leases: store.leasesOf(ME),
    registry: registry.asRegistry(),
    lifecycle: strict('lifecycle', lifecycle, violations),
    logger: createLogger('ownership-manager.spec', 'silent'),
  });
  return { manager, store, registry, lifecycle, log };
}

const mine = (workers: string[]) => partitionsOwnedBy(ME, workers, PARTITIONS);

describe('OwnershipManager', () => {
  beforeEach(() => {
    violations = [];
    jest.useFakeTimers({ now: T0, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
    expect(violations).toEqual([]);
  });

  describe('acquiring', () => {
    it('acquires the partitions rendezvous hashing assigns it and starts each with its lease token', async () => {
      const { manager, store, lifecycle } = setup([ME, OTHER]);
      const expected = mine([ME, OTHER]);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(PARTITIONS);

      await manager.tick();

      expect(lifecycle.started.map(([p]) => p).sort((a, b) => a - b)).toEqual(expected);
      for (const [partition, token] of lifecycle.started) {
        expect(store.holderOf(partition)).toMatchObject({ holder: ME, token });
        expect(manager.validToken(partition)).toBe(token);
      }
      for (let p = 0; p < PARTITIONS; p++) if (!expected.includes(p)) expect(store.holderOf(p)).toBeUndefined();
    });

    it('counts itself among the live workers before the registry lists it', async () => {
      const { manager, lifecycle } = setup([OTHER]);
      await manager.tick();
      expect(lifecycle.started.map(([p]) => p).sort((a, b) => a - b)).toEqual(mine([ME, OTHER]));
    });

    it('leaves a partition another worker still holds, and takes it with a newer token once that lease expires', async () => {
      const { manager, store, lifecycle } = setup();
      const oldToken = store.takeFor(OTHER, 3);

      await manager.tick();
      expect(lifecycle.running.has(3)).toBe(false);
      expect(manager.validToken(3)).toBeNull();
      expect(lifecycle.running.size).toBe(PARTITIONS - 1);

      // Our own leases stay renewed meanwhile; the other worker's lapses at T0 + TTL.
      for (let elapsed = 0; elapsed < TTL_MS; elapsed += TICK_MS) {
        await elapse(TICK_MS);
        await manager.tick();
      }
      expect(lifecycle.fenced).toEqual([]);
      const token = lifecycle.running.get(3);
      expect(token).toBeDefined();
      expect(Number(token)).toBeGreaterThan(Number(oldToken));
      expect(manager.validToken(3)).toBe(token);
    });

    it('releases a partition whose start throws, and takes it again on a later tick', async () => {
      const { manager, store, lifecycle } = setup();
      let failStart = true;
      lifecycle.startHook = async (partition) => {
        if (partition === 5 && failStart) throw new Error('claimPartition failed');
      };

      await manager.tick();
      expect(store.holderOf(5)).toBeUndefined();
      expect(store.releases).toEqual([5]);
      expect(manager.validToken(5)).toBeNull();
      expect(lifecycle.running.has(5)).toBe(false);
      expect(lifecycle.running.size).toBe(PARTITIONS - 1);

      failStart = false;
      await manager.tick();
      expect(manager.validToken(5)).toBe(store.holderOf(5)?.token);
      expect(store.holderOf(5)?.token).toBe('2');
    });
  });

  describe('validToken', () => {
    it('returns the token while the lease is trusted and null once renewal is overdue by the safety margin', async () => {
      const { manager, store } = setup();
      await manager.tick();
      const token = store.holderOf(0)?.token;
      expect(token).toBe('1');

      expect(manager.validToken(0, T0 + TRUSTED_MS - 1)).toBe(token);
      expect(manager.validToken(0, T0 + TRUSTED_MS)).toBeNull();
      // Still well before the lease expires in Redis (T0 + TTL): the margin is on the safe side.
      expect(TRUSTED_MS).toBeLessThan(TTL_MS);
    });

    it('trusts the lease for longer after each successful renewal', async () => {
      const { manager } = setup();
      await manager.tick();
      await elapse(500);
      await manager.tick();
      expect(manager.validToken(0, T0 + 500 + TRUSTED_MS - 1)).toBe('1');
      expect(manager.validToken(0, T0 + 500 + TRUSTED_MS)).toBeNull();
    });

    it('returns null for a partition it does not hold', async () => {
      const { manager } = setup([ME, OTHER]);
      await manager.tick();
      const notMine = [...Array(PARTITIONS).keys()].find((p) => !mine([ME, OTHER]).includes(p));
      expect(notMine).toBeDefined();
      expect(manager.validToken(notMine as number)).toBeNull();
    });
  });

  describe('losing a lease', () => {
    it('fences the partition at once when a renewal is refused', async () => {
      const { manager, store, lifecycle, registry, log } = setup();
      await manager.tick();
      store.stealFor(OTHER, 2);
      log.length = 0;

      await elapse(TICK_MS);
      await manager.tick();

      expect(lifecycle.fenced).toEqual([2]);
      expect(manager.validToken(2)).toBeNull();
      // Fenced before anything else of the tick (the heartbeat), never drained nor released.
      expect(log.indexOf('fence 2')).toBeLessThan(log.indexOf('beat'));
      expect(lifecycle.drained).toEqual([]);
      expect(store.releases).toEqual([]);
      expect(registry.stopped).toEqual([2]);
      expect(store.holderOf(2)?.holder).toBe(OTHER);
      // The others are untouched.
      expect(lifecycle.running.size).toBe(PARTITIONS - 1);
      expect(manager.validToken(1)).toBe('1');
    });

    it('keeps a lease through failed renewals until it would expire, then fences it', async () => {
      const { manager, store, lifecycle } = setup();
      await manager.tick();
      store.unreachable = true;

      await elapse(TICK_MS);
      await manager.tick();
      await elapse(TRUSTED_MS - 1 - TICK_MS);
      await manager.tick();
      expect(lifecycle.fenced).toEqual([]);
      expect(manager.validToken(0)).toBe('1');

      await elapse(1);
      // The tick's own re-acquisition of what it fenced fails too (the loop logs that).
      await manager.tick().catch(() => undefined);
      expect(lifecycle.fenced.sort((a, b) => a - b)).toEqual([...Array(PARTITIONS).keys()]);
      expect(manager.validToken(0)).toBeNull();
      expect(lifecycle.drained).toEqual([]);
    });

    it('keeps renewing while a partition starts slowly, and trusts a starting lease no longer than any other', async () => {
      const { manager, store, lifecycle } = setup();
      const starts = gate();
      lifecycle.startHook = (partition) => (partition === mine([ME])[0] ? starts.opened : Promise.resolve());
      const ticking = manager.tick();
      await settle();
      // The start takes twice the lease's lifetime: the lease must not lapse meanwhile.
      await elapse(TTL_MS * 2);
      const first = mine([ME])[0] as number;
      expect(store.holderOf(first)?.holder).toBe(ME);
      expect(manager.validToken(first)).toBe('1');

      // And when renewals fail during that start, the starting partition's token is no longer trusted.
      store.unreachable = true;
      await elapse(TRUSTED_MS);
      expect(manager.validToken(first)).toBeNull();
      expect(lifecycle.fenced).toContain(first);
      store.unreachable = false;
      starts.open();
      await ticking.catch(() => undefined);
    });

    it('keeps the lease when Redis comes back before it would expire', async () => {
      const { manager, store, lifecycle } = setup();
      await manager.tick();
      store.unreachable = true;
      await elapse(TRUSTED_MS - 1);
      await manager.tick();
      store.unreachable = false;
      await manager.tick();

      expect(lifecycle.fenced).toEqual([]);
      expect(manager.validToken(0, Date.now() + TRUSTED_MS - 1)).toBe('1');
    });
  });

  describe('handing over', () => {
    it('drains a partition another worker now owns, then releases its lease', async () => {
      const { manager, store, lifecycle, registry, log } = setup();
      await manager.tick();
      const moving = [...Array(PARTITIONS).keys()].filter((p) => !mine([ME, OTHER]).includes(p));
      expect(moving.length).toBeGreaterThan(0);
      const drains = gate();
      lifecycle.drainHook = () => drains.opened;

      registry.live = [ME, OTHER];
      await manager.tick();
      await settle();
      expect(lifecycle.drained.sort((a, b) => a - b)).toEqual(moving);
      // While active jobs finish the lease stays ours (their writes are still fenced by it).
      for (const p of moving) expect(store.holderOf(p)?.holder).toBe(ME);
      expect(manager.validToken(moving[0])).toBe('1');

      drains.open();
      await settle();
      for (const p of moving) {
        expect(store.holderOf(p)).toBeUndefined();
        expect(manager.validToken(p)).toBeNull();
        expect(log.indexOf(`release ${p}`)).toBeGreaterThan(log.indexOf(`drain ${p}`));
      }
      expect(registry.stopped.sort((a, b) => a - b)).toEqual(moving);
      expect(lifecycle.fenced).toEqual([]);
      expect([...lifecycle.running.keys()].sort((a, b) => a - b)).toEqual(mine([ME, OTHER]));
    });

    it('keeps renewing a partition while it drains', async () => {
      const { manager, store, lifecycle, registry } = setup();
      await manager.tick();
      const moving = [...Array(PARTITIONS).keys()].filter((p) => !mine([ME, OTHER]).includes(p));
      const drains = gate();
      lifecycle.drainHook = () => drains.opened;
      registry.live = [ME, OTHER];
      await manager.tick();

      for (let i = 0; i < 8; i++) {
        await elapse(TICK_MS);
        await manager.tick();
      }
      expect(Date.now()).toBeGreaterThan(T0 + TTL_MS);
      expect(store.holderOf(moving[0])?.holder).toBe(ME);
      expect(manager.validToken(moving[0])).toBe('1');
      drains.open();
      await settle();
    });

    it('does not release a partition fenced while it was draining', async () => {
      const { manager, store, lifecycle, registry } = setup();
      await manager.tick();
      const moving = [...Array(PARTITIONS).keys()].filter((p) => !mine([ME, OTHER]).includes(p));
      const lost = moving[0];
      const drains = gate();
      lifecycle.drainHook = () => drains.opened;
      registry.live = [ME, OTHER];
      await manager.tick();

      store.stealFor(OTHER, lost);
      await elapse(TICK_MS);
      await manager.tick();
      expect(lifecycle.fenced).toEqual([lost]);

      drains.open();
      await settle();
      expect(store.releases).not.toContain(lost);
      expect(store.holderOf(lost)?.holder).toBe(OTHER);
      for (const p of moving.slice(1)) expect(store.releases).toContain(p);
    });
  });

  describe('stop', () => {
    it('drains and releases every partition, then leaves the registry', async () => {
      const { manager, store, lifecycle, registry, log } = setup();
      await manager.tick();

      await manager.stop();

      expect(lifecycle.drained.sort((a, b) => a - b)).toEqual([...Array(PARTITIONS).keys()]);
      expect(lifecycle.running.size).toBe(0);
      for (let p = 0; p < PARTITIONS; p++) expect(store.holderOf(p)).toBeUndefined();
      expect(registry.left).toBe(true);
      expect(log.at(-1)).toBe('leave');
      expect(lifecycle.fenced).toEqual([]);
    });

    it('keeps renewing the leases while it drains', async () => {
      const { manager, store, lifecycle, registry } = setup();
      await manager.tick();
      const drains = gate();
      lifecycle.drainHook = () => drains.opened;

      const stopping = manager.stop();
      await settle();
      const renewalsBefore = store.renewals.length;
      await elapse(TTL_MS * 2);
      expect(store.renewals.length).toBeGreaterThan(renewalsBefore);
      for (let p = 0; p < PARTITIONS; p++) expect(store.holderOf(p)?.holder).toBe(ME);
      expect(manager.validToken(0)).toBe('1');
      expect(registry.left).toBe(false);

      drains.open();
      await stopping;
      for (let p = 0; p < PARTITIONS; p++) expect(store.holderOf(p)).toBeUndefined();
      expect(registry.left).toBe(true);

      const renewalsAtStop = store.renewals.length;
      await elapse(TTL_MS);
      expect(store.renewals.length).toBe(renewalsAtStop);
    });

    it('fences a lease that lapses while it drains (Redis unreachable), as at any other time', async () => {
      const { manager, store, lifecycle } = setup();
      await manager.tick();
      const drains = gate();
      lifecycle.drainHook = () => drains.opened;
      const stopping = manager.stop();
      await settle();
      store.unreachable = true;
      await elapse(TTL_MS * 2);
      expect(lifecycle.fenced.sort((a, b) => a - b)).toEqual([...Array(PARTITIONS).keys()]);
      expect(manager.validToken(0)).toBeNull();
      store.unreachable = false;
      drains.open();
      await stopping;
    });

    it('ends the control loop: no tick after stop', async () => {
      const { manager, log } = setup();
      manager.start();
      await settle();
      await elapse(TICK_MS);
      expect(log.filter((call) => call === 'beat')).toHaveLength(2);

      await manager.stop();
      const calls = log.length;
      await elapse(TICK_MS * 4);
      expect(log).toHaveLength(calls);
    });

    it('acquires nothing once stopped while the tick waited for the heartbeat', async () => {
      const { manager, store, registry, lifecycle, log } = setup();
      const beat = gate();
      registry.beatHook = () => beat.opened;
      manager.start();
      await settle();

      let stopped = false;
      const stopping = manager.stop().then(() => (stopped = true));
      await settle();
      // It waits for the tick under way before handing over.
      expect(stopped).toBe(false);
      beat.open();
      await stopping;
      expect(log.filter((call) => call.startsWith('acquire'))).toEqual([]);
      expect(lifecycle.started).toEqual([]);
      for (let p = 0; p < PARTITIONS; p++) expect(store.holderOf(p)).toBeUndefined();
      expect(registry.left).toBe(true);
    });

    it('hands over the partition it was starting when stopped, and takes no more', async () => {
      const { manager, store, lifecycle, registry } = setup();
      const firstStart = gate();
      lifecycle.startHook = (partition) => (partition === 0 ? firstStart.opened : Promise.resolve());
      manager.start();
      await settle();
      expect(lifecycle.started.map(([p]) => p)).toEqual([0]);

      const stopping = manager.stop();
      firstStart.open();
      await stopping;
      expect(lifecycle.started.map(([p]) => p)).toEqual([0]);
      expect(lifecycle.drained).toEqual([0]);
      for (let p = 0; p < PARTITIONS; p++) expect(store.holderOf(p)).toBeUndefined();
      expect(registry.left).toBe(true);
    });
  });
});
