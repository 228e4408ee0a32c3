import { Uuid, type JobMap, type JobName } from '@switchboard/contracts';
import type { AccountController } from '../accounts/account-controller';
import type { MessageActionsService } from '../messages/message-actions.service';
import type { SendMessageService } from '../messages/send-message.service';
import { DONE, type JobOutcome } from './job-errors';

export interface JobContext {
  /** The fencing token of the partition the job came from. */
  token: string;
  /** When the job was first queued (ms): how long it has waited for its account is counted from it. */
  queuedAt: number;
}

export interface JobHandler<N extends JobName> {
  run(data: JobMap[N], context: JobContext): Promise<JobOutcome>;
  /** Runs once when the job fails for good (permanent error or last attempt). */
  onFinalFailure?(data: JobMap[N], reason: string, context: JobContext): Promise<void>;
  /**
   * Runs once when the job's payload is invalid (it fails at once): whatever of it can still be
   * read (`raw`) is ended with the reason, so nothing stays waiting forever.
   */
  onInvalid?(raw: unknown, reason: string, context: JobContext): Promise<void>;
}

export type JobHandlers = { [N in JobName]: JobHandler<N> };

const uuidField = (raw: unknown, field: string): string | null => {
  const parsed = Uuid.safeParse((raw as Record<string, unknown> | null)?.[field]);
  return parsed.success ? parsed.data : null;
};

/** Thin processors: each one parses nothing itself and calls one service. */
export function createJobHandlers(controller: AccountController, sends: SendMessageService, actions: MessageActionsService): JobHandlers {
  return {
    'account.connect': {
      run: async ({ accountId }, { token }) => (await controller.reconcile(accountId, token), DONE),
    },
    'account.login-input': {
      run: async ({ accountId, step, inputRef }) => (await controller.loginInput(accountId, step, inputRef), DONE),
    },
    'message.send': {
      run: ({ accountId, messageId }) => sends.send(accountId, messageId),
      onFinalFailure: ({ accountId, messageId }, reason, { token }) => sends.fail(accountId, messageId, reason, token),
      onInvalid: async (raw, reason, { token }) => {
        const accountId = uuidField(raw, 'accountId');
        const messageId = uuidField(raw, 'messageId');
        if (accountId && messageId) await sends.fail(accountId, messageId, `The send job was invalid: ${reason}`, token);
      },
    },
    'account.disconnect': {
      run: async ({ accountId, logout }, { token }) => (await controller.disconnect(accountId, logout, token), DONE),
    },
    'account.delete': {
      run: async ({ accountId }, { token }) => (await controller.delete(accountId, token), DONE),
    },
    'account.sync-chats': {
      run: ({ accountId }) => actions.syncChats(accountId),
    },
    'message.edit': {
      run: ({ accountId, messageId, text }, { queuedAt }) => actions.act(accountId, { kind: 'edit', messageId, text }, queuedAt),
      onFinalFailure: ({ accountId, messageId }, reason, { token }) => actions.failed(accountId, messageId, reason, token),
    },
    'message.delete': {
      run: ({ accountId, messageId, forEveryone }, { queuedAt }) => actions.act(accountId, { kind: 'delete', messageId, forEveryone }, queuedAt),
      onFinalFailure: ({ accountId, messageId }, reason, { token }) => actions.failed(accountId, messageId, reason, token),
    },
    'message.react': {
      run: ({ accountId, messageId, emoji }, { queuedAt }) => actions.act(accountId, { kind: 'react', messageId, emoji }, queuedAt),
      onFinalFailure: ({ accountId, messageId }, reason, { token }) => actions.failed(accountId, messageId, reason, token),
    },
    'chat.read': {
      run: ({ accountId, chatId }, { queuedAt }) => actions.markRead(accountId, chatId, queuedAt),
    },
  } satisfies JobHandlers;
}
