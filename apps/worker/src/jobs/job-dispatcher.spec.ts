import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { createLogger } from '@switchboard/config';
import { FloodWaitError, NotConnectedError, PermanentSendError } from '@switchboard/messengers';
import { LeaseLostError } from '../ownership/lease-lost-error';
import { createJobDispatcher, RETURN_TO_QUEUE_MS } from './job-dispatcher';
import { DONE, PermanentJobError, waitFor, type JobOutcome } from './job-errors';
import type { JobHandlers } from './job-handlers';

const NOW = 1_700_000_000_000;
const ATTEMPTS = 3;
const TOKEN = '7';
const BULL_TOKEN = 'bull-lock-token';
const SEND = { accountId: '0b7e8a4e-7f3c-4c11-9d3e-2a1f5c6b7d80', messageId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d' };

interface FakeJob {
  name: string;
  data: unknown;
  attemptsMade: number;
  opts: { attempts: number };
  id: string;
  delayedUntil: number[];
  promoted: number;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
  promote(): Promise<void>;
}

function fakeJob(name: string, data: unknown, attemptsMade = 0): FakeJob {
  const job: FakeJob = {
    name,
    data,
    attemptsMade,
    opts: { attempts: ATTEMPTS },
    id: 'job-1',
    delayedUntil: [],
    promoted: 0,
    async moveToDelayed(timestamp, token) {
      if (token !== BULL_TOKEN) throw new Error(`moveToDelayed with lock token ${token}, not the job's`);
      job.delayedUntil.push(timestamp);
    },
    async promote() {
      job.promoted += 1;
    },
  };
  return job;
}

interface Calls {
  run: unknown[];
  onFinalFailure: [unknown, string, unknown][];
  onInvalid: [unknown, string, unknown][];
}

/** A handler for `message.send` doing what `run` says; every other job name fails loudly if run. */
function handlersFor(run: () => Promise<JobOutcome>) {
  const calls: Calls = { run: [], onFinalFailure: [], onInvalid: [] };
  const unexpected = (name: string) => ({
    run: async () => {
      throw new Error(`handler ${name} was not expected to run`);
    },
  });
  const handlers: JobHandlers = {
    'account.connect': unexpected('account.connect'),
    'account.login-input': unexpected('account.login-input'),
    'account.disconnect': unexpected('account.disconnect'),
    'account.delete': unexpected('account.delete'),
    'account.sync-chats': unexpected('account.sync-chats'),
    'message.edit': unexpected('message.edit'),
    'message.delete': unexpected('message.delete'),
    'message.react': unexpected('message.react'),
    'chat.read': unexpected('chat.read'),
    'message.send': {
      run: async (data, context) => {
        calls.run.push({ data, context });
        return run();
      },
      onFinalFailure: async (data, reason, context) => void calls.onFinalFailure.push([data, reason, context]),
      onInvalid: async (raw, reason, context) => void calls.onInvalid.push([raw, reason, context]),
    },
  };
  return { handlers, calls };
}

function dispatcherWith(run: () => Promise<JobOutcome>, token: string | null = TOKEN) {
  const { handlers, calls } = handlersFor(run);
  const dispatch = createJobDispatcher({
    handlers,
    tokenOf: () => token,
    attemptsOf: (job) => job.opts.attempts ?? 1,
    logger: createLogger('job-dispatcher.spec', 'silent'),
  });
  return { dispatch: (job: FakeJob) => dispatch(job as unknown as Job, BULL_TOKEN), calls };
}

const throwing = (error: unknown) => async (): Promise<JobOutcome> => {
  throw error;
};
const done = async () => DONE;

describe('createJobDispatcher', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('refuses to boot with a handler for a job name that does not exist', () => {
    const { handlers } = handlersFor(done);
    const withExtra = { ...handlers, 'message.sned': handlers['message.send'] } as JobHandlers;
    expect(() => createJobDispatcher({ handlers: withExtra, tokenOf: () => TOKEN, attemptsOf: () => 1, logger: createLogger('t', 'silent') })).toThrow(
      'unknown job handler message.sned',
    );
  });

  it('runs a valid job with the lease token and resolves when the handler is done', async () => {
    const { dispatch, calls } = dispatcherWith(done);
    const job = fakeJob('message.send', SEND);
    await expect(dispatch(job)).resolves.toBeUndefined();
    expect(calls.run).toEqual([{ data: SEND, context: { token: TOKEN } }]);
    expect(job.delayedUntil).toEqual([]);
  });

  it('fails a job with an unknown name for good', async () => {
    const { dispatch, calls } = dispatcherWith(done);
    const job = fakeJob('message.unknown', SEND);
    const failure = dispatch(job);
    await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(failure).rejects.toThrow('Unknown job name "message.unknown".');
    expect(calls.run).toEqual([]);
  });

  describe('without the lease', () => {
    it('returns the job to the queue without running it or spending an attempt', async () => {
      const { dispatch, calls } = dispatcherWith(done, null);
      const job = fakeJob('message.send', SEND);
      // DelayedError tells BullMQ the job was moved to delayed by the processor: no attempt counted.
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + RETURN_TO_QUEUE_MS]);
      expect(calls.run).toEqual([]);
      expect(calls.onFinalFailure).toEqual([]);
    });

    it('returns the job to the queue when the lease is lost while it runs, without ending it', async () => {
      const { dispatch, calls } = dispatcherWith(throwing(new LeaseLostError('fenced')));
      const job = fakeJob('message.send', SEND, ATTEMPTS - 1);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + RETURN_TO_QUEUE_MS]);
      expect(calls.onFinalFailure).toEqual([]);
    });
  });

  describe('an invalid payload', () => {
    it('fails at once naming the bad field, without running the handler', async () => {
      const { dispatch, calls } = dispatcherWith(done);
      const raw = { accountId: SEND.accountId, messageId: 'not-a-uuid' };
      const failure = dispatch(fakeJob('message.send', raw));
      await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(failure).rejects.toThrow(/^Invalid message\.send job: messageId: /);
      expect(calls.run).toEqual([]);
    });

    it('lets the handler end what it can of the raw payload, with the reason', async () => {
      const { dispatch, calls } = dispatcherWith(done);
      const raw = { accountId: SEND.accountId, messageId: 42 };
      await expect(dispatch(fakeJob('message.send', raw))).rejects.toBeInstanceOf(UnrecoverableError);
      expect(calls.onInvalid).toEqual([[raw, expect.stringMatching(/^messageId: /), { token: TOKEN }]]);
      expect(calls.onFinalFailure).toEqual([]);
    });
  });

  describe('a provider that cannot take the job now', () => {
    it('parks the job for exactly the flood wait the provider asks', async () => {
      const { dispatch, calls } = dispatcherWith(throwing(new FloodWaitError(42_000)));
      const job = fakeJob('message.send', SEND, ATTEMPTS - 1);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + 42_000]);
      expect(calls.onFinalFailure).toEqual([]);
    });

    it('returns the job to the queue when the session is not connected', async () => {
      const { dispatch, calls } = dispatcherWith(throwing(new NotConnectedError('offline')));
      const job = fakeJob('message.send', SEND, ATTEMPTS - 1);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + RETURN_TO_QUEUE_MS]);
      expect(calls.onFinalFailure).toEqual([]);
    });
  });

  describe('a failure', () => {
    it.each([
      ['PermanentJobError', new PermanentJobError('the account was deleted')],
      ['PermanentSendError', new PermanentSendError('the account was deleted')],
    ])('ends the job on its first attempt when it is a %s, after onFinalFailure', async (_, error) => {
      const { dispatch, calls } = dispatcherWith(throwing(error));
      const failure = dispatch(fakeJob('message.send', SEND, 0));
      await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(failure).rejects.toThrow('the account was deleted');
      expect(calls.onFinalFailure).toEqual([[SEND, 'the account was deleted', { token: TOKEN }]]);
    });

    it('rethrows a transient error before the last attempt as is, for BullMQ to retry', async () => {
      const transient = new Error('socket hang up');
      const { dispatch, calls } = dispatcherWith(throwing(transient));
      const job = fakeJob('message.send', SEND, ATTEMPTS - 2);
      await expect(dispatch(job)).rejects.toBe(transient);
      expect(calls.onFinalFailure).toEqual([]);
      expect(job.delayedUntil).toEqual([]);
    });

    it('ends the job after onFinalFailure when a transient error happens on the last attempt', async () => {
      const { dispatch, calls } = dispatcherWith(throwing(new Error('socket hang up')));
      const failure = dispatch(fakeJob('message.send', SEND, ATTEMPTS - 1));
      await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(failure).rejects.toThrow('socket hang up');
      expect(calls.onFinalFailure).toEqual([[SEND, 'socket hang up', { token: TOKEN }]]);
    });

    it('ends the job with the text of a thrown non-Error', async () => {
      const { dispatch, calls } = dispatcherWith(throwing('boom'));
      await expect(dispatch(fakeJob('message.send', SEND, ATTEMPTS - 1))).rejects.toThrow('boom');
      expect(calls.onFinalFailure).toEqual([[SEND, 'boom', { token: TOKEN }]]);
    });
  });

  describe('a wait outcome', () => {
    it('parks the job for the wait without spending an attempt', async () => {
      const { dispatch, calls } = dispatcherWith(async () => waitFor(1_500, 'pace'));
      const job = fakeJob('message.send', SEND);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + 1_500]);
      expect(job.promoted).toBe(0);
      expect(calls.onFinalFailure).toEqual([]);
    });

    it('runs the job again at once when what it waits for happened while it was parked', async () => {
      const { dispatch } = dispatcherWith(async () => waitFor(60_000, 'not connected', () => true));
      const job = fakeJob('message.send', SEND);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.delayedUntil).toEqual([NOW + 60_000]);
      expect(job.promoted).toBe(1);
    });

    it('leaves the job parked when what it waits for has not happened', async () => {
      const { dispatch } = dispatcherWith(async () => waitFor(60_000, 'not connected', () => false));
      const job = fakeJob('message.send', SEND);
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(job.promoted).toBe(0);
    });

    it('asks whether to wake only once the job is parked', async () => {
      const order: string[] = [];
      const { dispatch } = dispatcherWith(async () =>
        waitFor(60_000, 'not connected', () => {
          order.push('wakeIf');
          return false;
        }),
      );
      const job = fakeJob('message.send', SEND);
      const moveToDelayed = job.moveToDelayed;
      job.moveToDelayed = async (ts, token) => {
        order.push('moveToDelayed');
        await moveToDelayed(ts, token);
      };
      await expect(dispatch(job)).rejects.toBeInstanceOf(DelayedError);
      expect(order).toEqual(['moveToDelayed', 'wakeIf']);
    });
  });
});

