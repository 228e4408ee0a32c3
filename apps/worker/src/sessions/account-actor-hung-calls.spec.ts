import type { Logger } from '@switchboard/config';
import type { AccountRow, Database } from '@switchboard/db';
import type { Messengers, MessengerSession, SessionSink } from '@switchboard/messengers';
import type { AccountEventsService } from '../accounts/account-events.service';
import type { DeliveryReceiptService } from '../messages/delivery-receipt.service';
import type { IncomingMessageService } from '../messages/incoming-message.service';
import type { MessageUpdatesService } from '../messages/message-updates.service';
import { AccountActor } from './account-actor';
import { CallTimeoutError } from './with-timeout';

const hang = () => new Promise<never>(() => undefined);
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};
const elapse = async (ms: number) => {
  await settle();
  jest.advanceTimersByTime(ms);
  await settle();
};

/** A phone login waiting for its code, with a client whose login step and start can hang. */
function setup() {
  const statuses: string[] = [];
  const calls = { stop: 0, loginInFlight: 0, maxLoginInFlight: 0, created: 0 };
  let start: () => Promise<void> = async () => undefined;
  const session = {
    provider: 'sandbox' as const,
    connected: false,
    start: () => start(),
    submitLoginInput: async () => {
      calls.loginInFlight += 1;
      calls.maxLoginInFlight = Math.max(calls.maxLoginInFlight, calls.loginInFlight);
      await hang();
    },
    stop: async () => void (calls.stop += 1),
  } as unknown as MessengerSession;
  const messengers = { create: (_p: string, _a: string, _s: SessionSink) => ((calls.created += 1), session) } as unknown as Messengers;
  const noop = async () => undefined;
  const actor = new AccountActor({ id: 'a', tenantId: 't', provider: 'sandbox', partition: 1 }, '7', { key: 'k', holder: 'h' }, {
    db: { sessions: { load: async () => null } } as unknown as Database,
    messengers,
    accountEvents: { status: async (_l: unknown, s: string, r: string | null) => void statuses.push(`${s}: ${r}`), loginRequired: noop } as unknown as AccountEventsService,
    incoming: {} as IncomingMessageService,
    receipts: {} as DeliveryReceiptService,
    updates: {} as MessageUpdatesService,
    leaseHolds: () => true,
    timeouts: { startMs: 1_000, sendMs: 500, stopMs: 300 },
    restart: { backoffMs: 100, maxFailures: 3 },
    workerId: 'w',
    logger: { warn: () => undefined, error: () => undefined } as unknown as Logger,
    onConnected: () => undefined,
  });
  const account = { id: 'a', provider: 'sandbox', loginMethod: 'phone', phone: '+1555', partition: 1 } as AccountRow;
  return { actor, account, statuses, calls, setStart: (s: () => Promise<void>) => void (start = s) };
}

describe('AccountActor: hung calls', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('replaces the client when a login step hangs past its timeout, like a hung start or send', async () => {
    const t = setup();
    await t.actor.ensureStarted(t.account);
    const first = t.actor.loginInput({ step: 'code', value: '12345' }).catch((e: unknown) => e);
    await elapse(1_000);
    expect(await first).toBeInstanceOf(CallTimeoutError);
    expect(t.calls.stop).toBe(1);
    expect(t.statuses.at(-1)).toMatch(/^reconnecting: .*login step did not answer/);
  });

  it('never makes two calls of one client at once (a second login step while the first still hangs)', async () => {
    const t = setup();
    await t.actor.ensureStarted(t.account);
    void t.actor.loginInput({ step: 'code', value: '1' }).catch(() => undefined);
    await elapse(1_000);
    void t.actor.loginInput({ step: 'code', value: '2' }).catch(() => undefined);
    await settle();
    expect(t.calls.maxLoginInFlight).toBe(1);
  });

  it('stops gracefully without waiting for a hung start to time out (stop may come during start)', async () => {
    const t = setup();
    t.setStart(hang);
    void t.actor.ensureStarted(t.account);
    await settle();
    expect(t.calls.created).toBe(1);
    let stopped = false;
    void t.actor.stop({ logout: false }).then(() => (stopped = true));
    await elapse(300);
    expect(t.calls.stop).toBe(1);
    expect(stopped).toBe(true);
  });
});
