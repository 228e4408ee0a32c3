import type { EditMessageBody, Message, ReactionBody } from '@switchboard/contracts';
import { toMessage, type MessageRepository, type MessageRow } from '@switchboard/db';
import { ApiError } from '../http/api-error';
import type { JobDispatcher } from './job-dispatcher';

/** A message the provider knows: it has the provider's id, so an action can name it there. */
type SentMessage = MessageRow & { externalId: string };

/**
 * Edit, delete and react: the API checks the action makes sense for the message as stored and
 * enqueues it; the worker performs it at the provider and reports the outcome as
 * `message.updated` (the message changes only once the provider has accepted).
 */
export class MessageActionsService {
  constructor(private readonly deps: { messages: MessageRepository; jobs: JobDispatcher }) {}

  async edit(tenantId: string, messageId: string, body: EditMessageBody): Promise<Message> {
    const message = await this.findSent(tenantId, messageId, 'edited');
    if (message.direction !== 'out') throw ApiError.conflict('Only the account’s own messages can be edited; this one was received');
    if (message.type !== 'text') throw ApiError.conflict(`Only text messages can be edited; this one is of type ${message.type}`);
    await this.deps.jobs.dispatch('message.edit', { accountId: message.accountId, messageId: message.id, text: body.text });
    return toMessage(message);
  }

  async delete(tenantId: string, messageId: string, forEveryone: boolean): Promise<Message> {
    const message = await this.findSent(tenantId, messageId, 'deleted');
    if (forEveryone && message.direction !== 'out') {
      throw ApiError.conflict('Only the account’s own messages can be deleted for everyone', [
        { path: 'forEveryone', message: 'a received message can be deleted only for the account (forEveryone=false)' },
      ]);
    }
    await this.deps.jobs.dispatch('message.delete', { accountId: message.accountId, messageId: message.id, forEveryone });
    return toMessage(message);
  }

  async react(tenantId: string, messageId: string, body: ReactionBody): Promise<Message> {
    const message = await this.findSent(tenantId, messageId, 'reacted to');
    await this.deps.jobs.dispatch('message.react', { accountId: message.accountId, messageId: message.id, emoji: body.emoji });
    return toMessage(message);
  }

  /** The tenant's message (another tenant's is a 404), at the provider and not deleted for everyone. */
  private async findSent(tenantId: string, messageId: string, action: string): Promise<SentMessage> {
    const message = await this.deps.messages.findForTenant(tenantId, messageId);
    if (!message) throw ApiError.notFound('Message');
    if (message.deletedAt !== null) throw ApiError.conflict(`The message was deleted for everyone; it cannot be ${action}`);
    if (message.externalId === null) {
      throw ApiError.conflict(`The message is not sent yet (its status is ${message.status}); it cannot be ${action}`);
    }
    return message as SentMessage;
  }
}
