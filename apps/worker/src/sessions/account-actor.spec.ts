import type { Logger } from '@switchboard/config';
import type { AccountStatus } from '@switchboard/contracts';
import type { AccountRow, Database } from '@switchboard/db';
import type { IncomingMessage, LoginStart, Messengers, MessengerSession, OutgoingMessage, ResolvedAddress, SendResult, SessionOwner, SessionSink } from '@switchboard/messengers';
import type { AccountEventsService } from '../accounts/account-events.service';
import type { DeliveryReceiptService } from '../messages/delivery-receipt.service';
import type { IncomingMessageService } from '../messages/incoming-message.service';
import type { MessageUpdatesService } from '../messages/message-updates.service';
import { LeaseLostError } from '../ownership/lease-lost-error';
import { AccountActor, StaleClientError, type AccountActorDeps } from './account-actor';
import { CallTimeoutError } from './with-timeout';

const T0 = 1_700_000_000_000;
const TOKEN = '7';
const START_MS = 1_000;
const SEND_MS = 500;
const STOP_MS = 300;
const BACKOFF_MS = 100;
const MAX_FAILURES = 3;
const START_TIMEOUT = `The sandbox client's start did not answer within ${START_MS} ms`;
const SEND_TIMEOUT = `The sandbox client's send did not answer within ${SEND_MS} ms`;

/** Anything the actor does that the real collaborators would refuse or that no test expects. */
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

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const hang = () => new Promise<never>(() => undefined);

/** Lets every pending promise chain (the fakes answer at once) run to its end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the clock (and any timers due) forward. */
async function elapse(ms: number): Promise<void> {
  // Timers are set by promise chains that may not have run yet.
  await settle();
  jest.advanceTimersByTime(ms);
  await settle();
}

/** Settles a promise into what it ended with, so a rejection is never unhandled while the clock moves. */
function outcomeOf<T>(promise: Promise<T>): { value?: T; error?: unknown; settled: boolean } {
  const outcome: { value?: T; error?: unknown; settled: boolean } = { settled: false, value: undefined, error: undefined };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error: unknown) => Object.assign(outcome, { error, settled: true }),
  );
  return outcome;
}

/**
 * A messenger client whose start/send/stop do what the test says (resolve, hang, throw, report
 * through the sink), and which records every call. It flags what the worker must never do: two
 * calls at once (stop excepted: it may come during start), or a call after it was stopped.
 */
class FakeSession implements MessengerSession {
  readonly provider = 'sandbox' as const;
  connected = false;
  stopped = false;
  readonly logins: LoginStart[] = [];
  readonly stops: { logout: boolean }[] = [];
  private inFlight = 0;

  onStart: (session: FakeSession) => Promise<void> = async (session) => session.connect();
  onSend: (message: OutgoingMessage) => Promise<SendResult> = async (message) => ({ externalId: `ext-${message.clientMessageId}`, sentAt: new Date() });
  onStop: () => Promise<void> = async () => undefined;

  constructor(
    readonly number: number,
    readonly sink: SessionSink,
    readonly owner: SessionOwner,
    private readonly log: string[],
    private readonly violations: Violations,
  ) {}

  /** What a client does once it is logged in: says so through the sink. */
  async connect(): Promise<void> {
    this.connected = true;
    await this.sink.status('connected', null);
  }

  private async call<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.log.push(`#${this.number} ${name}`);
    if (this.stopped) this.violations.push(`#${this.number} ${name} after stop`);
    if (this.inFlight > 0) this.violations.push(`#${this.number} ${name} while another call runs`);
    this.inFlight += 1;
    try {
      return await run();
    } finally {
      this.inFlight -= 1;
      this.log.push(`#${this.number} ${name} done`);
    }
  }

  start(login: LoginStart): Promise<void> {
    this.logins.push(login);
    return this.call('start', () => this.onStart(this));
  }

  send(message: OutgoingMessage): Promise<SendResult> {
    return this.call(`send ${message.clientMessageId}`, () => this.onSend(message));
  }

  submitLoginInput(): Promise<void> {
    return this.call('login input', async () => undefined);
  }

  findSent(): Promise<SendResult | null> {
    return this.call('findSent', async () => null);
  }

  resolve(address: string): Promise<ResolvedAddress | null> {
    return this.call(`resolve ${address}`, async () => ({ chatId: address, kind: 'private' as const, title: null, phone: null }));
  }

  edit(): Promise<{ editedAt: Date }> {
    return this.call('edit', async () => ({ editedAt: new Date() }));
  }

  delete(): Promise<void> {
    return this.call('delete', async () => undefined);
  }

  react(): Promise<void> {
    return this.call('react', async () => undefined);
  }

  markRead(): Promise<void> {
    return this.call('markRead', async () => undefined);
  }

  listChats(): Promise<[]> {
    return this.call('listChats', async () => []);
  }

  stop(options: { logout: boolean }): Promise<void> {
    this.log.push(`#${this.number} stop${options.logout ? ' logout' : ''}`);
    this.stops.push(options);
    this.stopped = true;
    this.connected = false;
    return this.onStop();
  }
}

function accountRow(overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    id: 'acc-1',
    tenantId: 'tenant-1',
    provider: 'sandbox',
    name: 'one',
    desiredState: 'connected',
    status: 'disconnected',
    statusReason: null,
    profile: null,
    loginMethod: 'qr',
    phone: null,
    partition: 3,
    fence: TOKEN,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    ...overrides,
  };
}

let violations: Violations;

function setup() {
  violations = [];
  const log: string[] = [];
  const sessions: FakeSession[] = [];
  /** How each next client behaves; a client made beyond the plan is a violation. */
  const plans: ((session: FakeSession) => void)[] = [];
  const statuses: { token: string; status: AccountStatus; reason: string | null }[] = [];
  const reports: string[] = [];
  const stored: string[] = [];
  const connectedCalls: string[] = [];
  const warnings: string[] = [];
  const lease = { holds: true };
  let loadSession: (accountId: string) => Promise<Buffer | null> = async () => null;

  const messengers = strict(
    'messengers',
    {
      create: (provider: string, accountId: string, sink: SessionSink, owner: SessionOwner): MessengerSession => {
        const session = new FakeSession(sessions.length + 1, sink, owner, log, violations);
        log.push(`create #${session.number}`);
        const plan = plans.shift();
        if (!plan) {
          violations.push(`client #${session.number} of ${provider}/${accountId} was made, none was expected`);
          throw new Error('no client was expected');
        }
        plan(session);
        sessions.push(session);
        return session;
      },
    },
    violations,
  ) as unknown as Messengers;

  const record =
    (name: string) =>
    async (live: { token: string }): Promise<void> =>
      void reports.push(`${name} (token ${live.token})`);
  const accountEvents = strict(
    'accountEvents',
    {
      status: async (live: { token: string }, status: AccountStatus, reason: string | null) => {
        statuses.push({ token: live.token, status, reason });
        log.push(`status ${status}`);
        return true;
      },
      qr: record('qr'),
      pairingCode: record('pairingCode'),
      loginRequired: record('loginRequired'),
      profile: record('profile'),
      sessionSaved: record('sessionSaved'),
      sessionDeleted: record('sessionDeleted'),
    },
    violations,
  ) as unknown as AccountEventsService;
  const incoming = strict('incoming', { store: async (_live: unknown, messages: { externalId: string }[]) => void stored.push(...messages.map((m) => m.externalId)) }, violations) as unknown as IncomingMessageService;
  const receipts = strict('receipts', { apply: record('receipt') }, violations) as unknown as DeliveryReceiptService;
  const db = strict(
    'db',
    { sessions: strict('db.sessions', { load: (accountId: string) => loadSession(accountId), catchUpCursor: async () => 'cursor-1' }, violations) },
    violations,
  ) as unknown as Database;
  const logger = strict(
    'logger',
    {
      warn: (_context: unknown, message: string) => void warnings.push(message),
      error: (_context: unknown, message: string) => void warnings.push(message),
      info: () => undefined,
      debug: () => undefined,
    },
    violations,
  ) as unknown as Logger;

  const deps: AccountActorDeps = {
    db,
    messengers,
    accountEvents,
    incoming,
    receipts,
    updates: strict('updates', {}, violations) as unknown as MessageUpdatesService,
    leaseHolds: (partition, token) => {
      if (partition !== 3) violations.push(`lease of partition ${partition} asked, the account is on 3`);
      return lease.holds && token === TOKEN;
    },
    timeouts: { startMs: START_MS, sendMs: SEND_MS, stopMs: STOP_MS },
    restart: { backoffMs: BACKOFF_MS, maxFailures: MAX_FAILURES },
    workerId: 'worker-a',
    logger,
    onConnected: (ref) => void connectedCalls.push(ref.id),
  };
  const ref = { id: 'acc-1', tenantId: 'tenant-1', provider: 'sandbox' as const, partition: 3 };
  const fence = { key: 'lease:3', holder: `worker-a|${TOKEN}` };
  const makeActor = (after?: Promise<unknown>, token = TOKEN) => new AccountActor(ref, token, fence, deps, after);

  return {
    log,
    sessions,
    /** Plans the next clients, one function per client made. */
    plan: (...next: ((session: FakeSession) => void)[]) => void plans.push(...next),
    plansLeft: () => plans.length,
    statuses,
    statusNames: () => statuses.map((s) => s.status),
    reports,
    stored,
    connectedCalls,
    warnings,
    lease,
    setLoad: (load: (accountId: string) => Promise<Buffer | null>) => void (loadSession = load),
    makeActor,
  };
}

/** A contact's text message, as a session reports it. */
const incomingText = (externalId: string): IncomingMessage => ({
  externalId,
  chat: { externalId: 'bob', title: null, kind: 'private' },
  origin: 'contact',
  sender: null,
  type: 'text',
  text: 'x',
  media: null,
  replyTo: null,
  forwarded: false,
  sentAt: new Date(),
});
const connects = () => undefined;
const hangs = (session: FakeSession) => void (session.onStart = hang);
const throws = (message: string) => (session: FakeSession) => void (session.onStart = async () => Promise.reject(new Error(message)));
/** A client that shows a QR and waits for a scan (start resolves, not connected). */
const waitsForScan = (session: FakeSession) =>
  void (session.onStart = async (s) => {
    await s.sink.status('qr', null);
  });
const message = (id: string): OutgoingMessage => ({ clientMessageId: id, to: 'alice', text: 'hi', media: null, replyTo: null });

describe('AccountActor', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });

  afterEach(() => {
    jest.useRealTimers();
    expect(violations).toEqual([]);
  });

  describe('a client that hangs or dies is made again with backoff', () => {
    it('stops a start that hangs past startMs, reports reconnecting, retries after backoff, 2×backoff, then fails', async () => {
      const t = setup();
      t.plan(hangs, hangs, hangs);
      const actor = t.makeActor();
      const started = outcomeOf(actor.ensureStarted(accountRow()));
      await settle();
      expect(t.sessions).toHaveLength(1);
      expect(t.sessions[0].logins).toEqual([{ method: 'qr', phone: null, storedSession: null, catchUpCursor: null }]);
      expect(t.sessions[0].owner).toEqual({ workerId: 'worker-a', fence: TOKEN });

      await elapse(START_MS - 1);
      expect(t.sessions[0].stops).toEqual([]);
      expect(t.statusNames()).toEqual(['connecting']);
      await elapse(1);
      expect(t.sessions[0].stops).toEqual([{ logout: false }]);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: START_TIMEOUT });
      expect(started).toMatchObject({ settled: true, error: undefined });
      expect(actor.lastStatus).toBe('reconnecting');

      // First retry after one backoff.
      await elapse(BACKOFF_MS - 1);
      expect(t.sessions).toHaveLength(1);
      await elapse(1);
      expect(t.sessions).toHaveLength(2);
      expect(t.statusNames()).toEqual(['connecting', 'reconnecting', 'connecting']);

      await elapse(START_MS);
      expect(t.sessions[1].stops).toEqual([{ logout: false }]);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: START_TIMEOUT });

      // Second retry after twice the backoff.
      await elapse(2 * BACKOFF_MS - 1);
      expect(t.sessions).toHaveLength(2);
      await elapse(1);
      expect(t.sessions).toHaveLength(3);

      // The third failure in a row is the last: failed, with the reason, and no more clients.
      await elapse(START_MS);
      expect(t.sessions[2].stops).toEqual([{ logout: false }]);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'failed', reason: `The client failed ${MAX_FAILURES} times in a row; the last time: ${START_TIMEOUT}` });
      expect(actor.lastStatus).toBe('failed');
      await elapse(60_000);
      await elapse(60_000);
      expect(t.sessions).toHaveLength(3);
      expect(t.statusNames()).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'failed']);
    });

    it('a start that throws counts as a failure too, and a later connect starts afresh', async () => {
      const t = setup();
      t.plan(throws('boom 1'), throws('boom 2'), throws('boom 3'), connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await settle();
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: 'boom 1' });
      await elapse(BACKOFF_MS);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: 'boom 2' });
      await elapse(2 * BACKOFF_MS);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'failed', reason: 'The client failed 3 times in a row; the last time: boom 3' });
      await elapse(60_000);
      expect(t.sessions).toHaveLength(3);

      await actor.ensureStarted(accountRow());
      expect(t.sessions).toHaveLength(4);
      expect(actor.connected).toBe(true);
      expect(actor.lastStatus).toBe('connected');
    });

    it('a client that dies ("opened on another client") is stopped, reports reconnecting, and is made again after backoff', async () => {
      const t = setup();
      t.plan(connects, connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      expect(actor.connected).toBe(true);
      expect(t.connectedCalls).toEqual(['acc-1']);
      const [first] = t.sessions;

      first.sink.died('opened on another client');
      await settle();
      expect(first.stops).toEqual([{ logout: false }]);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: 'opened on another client' });
      expect(actor.connected).toBe(false);

      await elapse(BACKOFF_MS - 1);
      expect(t.sessions).toHaveLength(1);
      await elapse(1);
      expect(t.sessions).toHaveLength(2);
      expect(actor.connected).toBe(true);
      expect(t.statusNames()).toEqual(['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);

      // The dead client's late reports are dropped; its messages are refused (the network keeps them).
      const before = t.statuses.length;
      await first.sink.status('connected', null);
      await first.sink.qr('late', new Date());
      first.sink.died('again');
      await settle();
      await expect(first.sink.messages([incomingText('m1')])).rejects.toBeInstanceOf(StaleClientError);
      expect(t.statuses).toHaveLength(before);
      expect(t.reports).toEqual([]);
      expect(t.stored).toEqual([]);
      expect(t.sessions[1].stops).toEqual([]);

      // The current client's messages are stored.
      await t.sessions[1].sink.messages([incomingText('m2')]);
      expect(t.stored).toEqual(['m2']);
    });

    it('a connected report resets the failure count (and the backoff)', async () => {
      const t = setup();
      t.plan(throws('boom 1'), throws('boom 2'), connects, connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await elapse(BACKOFF_MS);
      await elapse(2 * BACKOFF_MS);
      expect(t.sessions).toHaveLength(3);
      expect(actor.connected).toBe(true);

      // Two failures came before, but the client connected since: this death is the first again.
      t.sessions[2].sink.died('connection lost');
      await settle();
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: 'connection lost' });
      await elapse(BACKOFF_MS - 1);
      expect(t.sessions).toHaveLength(3);
      await elapse(1);
      expect(t.sessions).toHaveLength(4);
      expect(actor.lastStatus).toBe('connected');
      expect(t.statusNames()).not.toContain('failed');
    });

    it('a send that hangs past sendMs rejects with CallTimeoutError and the client is replaced', async () => {
      const t = setup();
      t.plan(connects, connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      t.sessions[0].onSend = hang;
      const sent = outcomeOf(actor.send(message('m-1')));
      await elapse(SEND_MS - 1);
      expect(sent.settled).toBe(false);
      await elapse(1);
      expect(sent.error).toBeInstanceOf(CallTimeoutError);
      expect((sent.error as Error).message).toBe(SEND_TIMEOUT);
      expect(t.sessions[0].stops).toEqual([{ logout: false }]);
      expect(t.statuses.at(-1)).toEqual({ token: TOKEN, status: 'reconnecting', reason: SEND_TIMEOUT });

      await elapse(BACKOFF_MS);
      expect(t.sessions).toHaveLength(2);
      await expect(actor.send(message('m-2'))).resolves.toMatchObject({ externalId: 'ext-m-2' });
      expect(t.log.filter((line) => line.includes('send m-2'))).toEqual(['#2 send m-2', '#2 send m-2 done']);
    });
  });

  describe('fencing and the lease', () => {
    it('fence() while start is in flight stops the client made; its later reports are dropped and its messages refused', async () => {
      const t = setup();
      const start = deferred();
      t.plan((session) => void (session.onStart = async (s) => {
        await start.promise;
        await s.connect();
        await s.sink.qr('qr-code', new Date(T0 + 60_000));
        await s.sink.profile({ id: 'p', name: null, phone: null, username: null });
      }));
      const actor = t.makeActor();
      const started = outcomeOf(actor.ensureStarted(accountRow()));
      await settle();
      const [client] = t.sessions;
      expect(t.log).toContain('#1 start');

      actor.fence();
      expect(client.stops).toEqual([{ logout: false }]);
      expect(actor.fenced).toBe(true);
      expect(actor.isEnded).toBe(true);

      start.resolve();
      await settle();
      expect(started.settled).toBe(true);
      expect(t.statusNames()).toEqual(['connecting']);
      expect(t.reports).toEqual([]);
      expect(t.connectedCalls).toEqual([]);
      expect(actor.connected).toBe(false);
      await expect(client.sink.messages([incomingText('late')])).rejects.toBeInstanceOf(StaleClientError);
      client.sink.died('opened on another client');
      await elapse(60_000);
      expect(t.stored).toEqual([]);
      expect(t.statusNames()).toEqual(['connecting']);
      expect(t.sessions).toHaveLength(1);
      expect(client.stops).toHaveLength(1);

      // Nothing more runs through a fenced actor.
      await expect(actor.send(message('m-1'))).rejects.toBeInstanceOf(LeaseLostError);
      await actor.ensureStarted(accountRow());
      expect(t.sessions).toHaveLength(1);
    });

    it('fence() while the stored session is read makes no client at all', async () => {
      const t = setup();
      const load = deferred<Buffer | null>();
      t.setLoad(() => load.promise);
      const actor = t.makeActor();
      const started = outcomeOf(actor.ensureStarted(accountRow()));
      await settle();
      actor.fence();
      load.resolve(Buffer.from('stored'));
      await settle();
      expect(started.error).toBeInstanceOf(LeaseLostError);
      expect(t.sessions).toHaveLength(0);
      expect(t.log).not.toContain('create #1');
    });

    it('a lease lost while the stored session is read makes no client', async () => {
      const t = setup();
      const load = deferred<Buffer | null>();
      t.setLoad(() => load.promise);
      const actor = t.makeActor();
      const started = outcomeOf(actor.ensureStarted(accountRow()));
      await settle();
      t.lease.holds = false;
      load.resolve(null);
      await settle();
      expect(started.error).toBeInstanceOf(LeaseLostError);
      expect(t.sessions).toHaveLength(0);
    });

    it('refuses to start with LeaseLostError when the lease does not hold: no client, no status', async () => {
      const t = setup();
      t.lease.holds = false;
      const actor = t.makeActor();
      await expect(actor.ensureStarted(accountRow())).rejects.toBeInstanceOf(LeaseLostError);
      expect(t.sessions).toHaveLength(0);
      expect(t.statuses).toEqual([]);
    });

    it('refuses a send with LeaseLostError once the lease no longer holds', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      t.lease.holds = false;
      await expect(actor.send(message('m-1'))).rejects.toBeInstanceOf(LeaseLostError);
      expect(t.log.some((line) => line.includes('send'))).toBe(false);
    });
  });

  describe('one call at a time', () => {
    it('a send issued during start waits for the start to finish', async () => {
      const t = setup();
      const start = deferred();
      t.plan((session) => void (session.onStart = async (s) => {
        await start.promise;
        await s.connect();
      }));
      const actor = t.makeActor();
      const started = actor.ensureStarted(accountRow());
      const sent = outcomeOf(actor.send(message('m-1')));
      await settle();
      expect(t.log).toEqual(['status connecting', 'create #1', '#1 start']);
      expect(sent.settled).toBe(false);

      start.resolve();
      await started;
      await settle();
      expect(sent.value).toMatchObject({ externalId: 'ext-m-1' });
      expect(t.log).toEqual(['status connecting', 'create #1', '#1 start', 'status connected', '#1 start done', '#1 send m-1', '#1 send m-1 done']);
    });

    it('a send while no client is connected fails with NotConnectedError, without a call', async () => {
      const t = setup();
      t.plan(waitsForScan);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await expect(actor.send(message('m-1'))).rejects.toMatchObject({ name: 'NotConnectedError' });
      expect(t.log.some((line) => line.includes('send'))).toBe(false);
    });
  });

  describe('stop', () => {
    it('stop() ends the actor: the client is stopped and no restart timer fires afterwards', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      t.sessions[0].sink.died('connection lost');
      await settle();
      expect(t.statuses.at(-1)?.status).toBe('reconnecting');

      // A restart is due in one backoff; stop comes first.
      await actor.stop({ logout: false });
      expect(actor.isEnded).toBe(true);
      expect(actor.fenced).toBe(false);
      await elapse(60_000);
      await elapse(60_000);
      expect(t.sessions).toHaveLength(1);
      expect(t.plansLeft()).toBe(0);
    });

    it('stop({ logout }) passes logout to the client and drops what it reports afterwards', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      const [client] = t.sessions;
      await actor.stop({ logout: true });
      expect(client.stops).toEqual([{ logout: true }]);
      expect(actor.isEnded).toBe(true);
      expect(actor.connected).toBe(false);
      const before = t.statuses.length;
      await client.sink.status('logged_out', 'bye');
      client.sink.died('gone');
      await elapse(60_000);
      expect(t.statuses).toHaveLength(before);
      await expect(actor.send(message('m-1'))).rejects.toMatchObject({ name: 'NotConnectedError' });
    });

    it('a stop that hangs is given up after stopMs', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      t.sessions[0].onStop = hang;
      const stopped = outcomeOf(actor.stop({ logout: false }));
      await elapse(STOP_MS - 1);
      expect(stopped.settled).toBe(false);
      await elapse(1);
      expect(stopped).toMatchObject({ settled: true, error: undefined });
      expect(t.warnings).toContain('client did not stop cleanly');
    });
  });

  describe('ensureStarted', () => {
    it('twice with the same login while connected makes one client', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await actor.ensureStarted(accountRow());
      expect(t.sessions).toHaveLength(1);
      expect(t.sessions[0].stops).toEqual([]);
      expect(t.statusNames()).toEqual(['connecting', 'connected']);
    });

    it('twice with the same login while a QR waits for a scan makes one client', async () => {
      const t = setup();
      t.plan(waitsForScan);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await actor.ensureStarted(accountRow());
      expect(t.sessions).toHaveLength(1);
    });

    it('with another login method while logging in stops the client and starts one for the new method', async () => {
      const t = setup();
      t.plan(waitsForScan, waitsForScan);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await actor.ensureStarted(accountRow({ loginMethod: 'phone', phone: '+15550001' }));
      expect(t.sessions).toHaveLength(2);
      expect(t.sessions[0].stops).toEqual([{ logout: false }]);
      expect(t.sessions[1].logins).toEqual([{ method: 'phone', phone: '+15550001', storedSession: null, catchUpCursor: null }]);
      expect(t.log.indexOf('#1 stop')).toBeLessThan(t.log.indexOf('create #2'));
    });

    it('keeps a connected client even when the login method changed (it needs no login)', async () => {
      const t = setup();
      t.plan(connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await actor.ensureStarted(accountRow({ loginMethod: 'pairing_code' }));
      expect(t.sessions).toHaveLength(1);
      expect(t.sessions[0].stops).toEqual([]);
    });

    it('after the client logged out, starts a new one', async () => {
      const t = setup();
      t.plan(connects, connects);
      const actor = t.makeActor();
      await actor.ensureStarted(accountRow());
      await t.sessions[0].sink.status('logged_out', 'ended from the phone');
      await actor.ensureStarted(accountRow());
      expect(t.sessions).toHaveLength(2);
      expect(t.sessions[0].stops).toEqual([{ logout: false }]);
    });

    it('hands the stored session and its catch-up cursor to the client', async () => {
      const t = setup();
      t.setLoad(async () => Buffer.from('stored'));
      t.plan(connects);
      await t.makeActor().ensureStarted(accountRow());
      expect(t.sessions[0].logins).toEqual([{ method: 'qr', phone: null, storedSession: Buffer.from('stored'), catchUpCursor: 'cursor-1' }]);
    });
  });

  describe('a new actor of the account', () => {
    it('made with `after` = the previous actor’s idle() starts its client only after the previous stop finished', async () => {
      const t = setup();
      t.plan(connects, connects);
      const previous = t.makeActor();
      await previous.ensureStarted(accountRow());
      const stopDone = deferred();
      t.sessions[0].onStop = () => stopDone.promise;
      const stopping = previous.stop({ logout: false });

      const next = t.makeActor(previous.idle());
      const started = next.ensureStarted(accountRow());
      await settle();
      expect(t.sessions).toHaveLength(1);
      expect(t.statusNames()).toEqual(['connecting', 'connected']);

      stopDone.resolve();
      await stopping;
      await started;
      expect(t.sessions).toHaveLength(2);
      expect(t.log.indexOf('#1 stop')).toBeLessThan(t.log.indexOf('create #2'));
      expect(next.connected).toBe(true);
    });

    it('after a fence, waits for the fenced client’s stop (bounded by stopMs)', async () => {
      const t = setup();
      t.plan(connects, connects);
      const previous = t.makeActor();
      await previous.ensureStarted(accountRow());
      t.sessions[0].onStop = hang;
      previous.fence();

      const next = t.makeActor(previous.idle());
      const started = outcomeOf(next.ensureStarted(accountRow()));
      await elapse(STOP_MS - 1);
      expect(t.sessions).toHaveLength(1);
      await elapse(1);
      expect(started).toMatchObject({ settled: true, error: undefined });
      expect(t.sessions).toHaveLength(2);
      expect(t.warnings).toContain('fenced client did not stop cleanly');
    });
  });
});
