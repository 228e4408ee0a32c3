import { toChat, toMessage, type Database, type MessageChange, type MessageRow } from '@switchboard/db';
import type { EventPublisher } from '@switchboard/events';
import { NotConnectedError, PermanentSendError, type MessageRef } from '@switchboard/messengers';
import { DONE, waitFor, type JobOutcome } from '../jobs/job-errors';
import type { AccountActor } from '../sessions/account-actor';
import type { SessionSupervisor } from '../sessions/session-supervisor';
import { waitForConnection, type ConnectionWaitDeps } from './connection-wait';
import type { MessageUpdatesService } from './message-updates.service';
import type { SendPacer } from './send-pacer';

/** What the account does to a message or a chat, asked through the API. */
export type MessageAction =
  | { kind: 'edit'; messageId: string; text: string }
  | { kind: 'delete'; messageId: string; forEveryone: boolean }
  | { kind: 'react'; messageId: string; emoji: string };

/**
 * Edits, deletes, reactions and mark-read, asked through the API, carried out at the provider by
 * the account's client and then stored and published (`message.updated`, `chat.updated`). Like a
 * send, an action keeps the account's pace, retries a transient failure, and waits for its account
 * to connect; a provider's refusal (an edit window that has
 * passed) is stored on the message as its `error`, the message otherwise unchanged.
 */
export class MessageActionsService {
  constructor(
    private readonly deps: { db: Database; publisher: EventPublisher; supervisor: SessionSupervisor; updates: MessageUpdatesService; pacer: SendPacer } & Omit<
      ConnectionWaitDeps,
      'db' | 'supervisor'
    >,
  ) {}

  async act(accountId: string, action: MessageAction, queuedAt: number): Promise<JobOutcome> {
    const [found] = await this.deps.db.messages.findManyForSend([action.messageId]);
    // Gone, deleted for everyone, or never sent: there is nothing at the provider to act on.
    if (!found || found.message.deletedAt || !found.message.externalId) return DONE;
    const { message, chat } = found;
    const actor = this.deps.supervisor.get(accountId);
    if (!actor?.connected) return this.wait(accountId, queuedAt);
    // Actions share the account's outbound pace with its sends: to a network, each is a request.
    const pace = this.deps.pacer.reserve(accountId, `${action.kind}:${action.messageId}:${queuedAt}`);
    if (pace > 0) return waitFor(pace, 'account send pace');
    const ref: MessageRef = { chatId: chat.externalId, externalId: message.externalId as string };
    try {
      const change = await this.carryOut(actor, accountId, ref, action);
      await this.record(actor, message, change);
    } catch (error) {
      if (error instanceof NotConnectedError) return this.wait(accountId, queuedAt);
      if (!(error instanceof PermanentSendError)) throw error;
      await this.record(actor, message, { kind: 'error', error: error.message });
    }
    return DONE;
  }

  async markRead(accountId: string, chatId: string, queuedAt: number): Promise<JobOutcome> {
    const chat = await this.deps.db.chats.findForAccount(accountId, chatId);
    if (!chat) return DONE;
    const actor = this.deps.supervisor.get(accountId);
    if (!actor?.connected) return this.wait(accountId, queuedAt);
    const pace = this.deps.pacer.reserve(accountId, `read:${chatId}:${queuedAt}`);
    if (pace > 0) return waitFor(pace, 'account send pace');
    try {
      await actor.markRead(chat.externalId);
    } catch (error) {
      if (error instanceof NotConnectedError) return this.wait(accountId, queuedAt);
      throw error;
    }
    const row = await this.deps.db.chats.markRead(accountId, chat.externalId, actor.token);
    if (row) await this.deps.publisher.publishOne('chat.updated', actor.ref.tenantId, accountId, toChat(row));
    return DONE;
  }

  /** The provider's chat list, taken now (titles, kinds, unread counts); nothing while not connected. */
  async syncChats(accountId: string): Promise<JobOutcome> {
    const actor = this.deps.supervisor.get(accountId);
    if (!actor?.connected) return DONE;
    await this.deps.updates.chats(actor, await actor.listChats());
    return DONE;
  }

  /** An action that failed for good (its last attempt): the message says why. */
  async failed(accountId: string, messageId: string, reason: string, token: string): Promise<void> {
    const row = await this.deps.db.messages.applyChangeById(messageId, { kind: 'error', error: reason }, token);
    const account = row ? await this.deps.db.accounts.findById(accountId) : null;
    if (row && account) await this.deps.publisher.publishOne('message.updated', account.tenantId, accountId, toMessage(row));
  }

  private async carryOut(actor: AccountActor, accountId: string, ref: MessageRef, action: MessageAction): Promise<MessageChange> {
    switch (action.kind) {
      case 'edit': {
        const { editedAt } = await actor.edit(ref, action.text);
        return { kind: 'edit', text: action.text, at: editedAt };
      }
      case 'delete':
        await actor.delete(ref, { forEveryone: action.forEveryone });
        return action.forEveryone ? { kind: 'revoke', at: new Date() } : { kind: 'delete-for-me' };
      case 'react': {
        await actor.react(ref, action.emoji);
        const account = await this.deps.db.accounts.findById(accountId);
        const me = account?.profile;
        const sender = { id: me?.id ?? accountId, name: me?.name ?? null, phone: me?.phone ?? null };
        return { kind: 'reaction', reaction: { emoji: action.emoji, sender, at: new Date().toISOString() } };
      }
    }
  }

  private async record(actor: AccountActor, message: MessageRow, change: MessageChange): Promise<void> {
    const row = await this.deps.db.messages.applyChangeById(message.id, change, actor.token);
    if (row) await this.deps.publisher.publishOne('message.updated', actor.ref.tenantId, message.accountId, toMessage(row));
  }

  private wait(accountId: string, queuedAt: number): Promise<JobOutcome> {
    return waitForConnection({ db: this.deps.db, supervisor: this.deps.supervisor, limitMs: this.deps.limitMs }, accountId, queuedAt, 'act on the message');
  }
}
