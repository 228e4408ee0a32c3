import type { JobMap, JobName } from '@switchboard/contracts';
import type { AccountController } from '../accounts/account-controller';
import type { SendMessageService } from '../messages/send-message.service';
import { DONE, type JobOutcome } from './job-errors';

export interface JobContext {
  /** The fencing token of the partition the job came from. */
  token: string;
}

export interface JobHandler<N extends JobName> {
  run(data: JobMap[N], context: JobContext): Promise<JobOutcome>;
  /** Runs once when the job fails for good (permanent error or last attempt). */
  onFinalFailure?(data: JobMap[N], reason: string): Promise<void>;
}

export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Thin processors: each one parses nothing itself and calls one service. */
export function createJobHandlers(controller: AccountController, sends: SendMessageService): JobHandlers {
  return {
    'account.connect': {
      run: async ({ accountId }, { token }) => (await controller.reconcile(accountId, token), DONE),
    },
    'account.login-input': {
      run: async ({ accountId, step, inputRef }) => (await controller.loginInput(accountId, step, inputRef), DONE),
    },
    'message.send': {
      run: ({ accountId, messageId }) => sends.send(accountId, messageId),
      onFinalFailure: ({ accountId, messageId }, reason) => sends.fail(accountId, messageId, reason),
    },
    'account.disconnect': {
      run: async ({ accountId, logout }, { token }) => (await controller.disconnect(accountId, logout, token), DONE),
    },
    'account.delete': {
      run: async ({ accountId }) => (await controller.delete(accountId), DONE),
    },
    'account.sync-chats': {
      run: async () => DONE,
    },
  } satisfies JobHandlers;
}
