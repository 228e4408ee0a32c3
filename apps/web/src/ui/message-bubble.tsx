import type { ApiClient } from '../api/api-client';
import type { Chat, Message } from '../api/api-types';
import { personName, timeOf } from './format';
import { MediaView } from './media-view';
import { StatusTicks } from './status-ticks';

interface Props {
  api: ApiClient;
  chat: Chat;
  message: Message;
  quoted: Message | null;
  onReply(message: Message): void;
}

export function MessageBubble({ api, chat, message, quoted, onReply }: Props) {
  const mine = message.direction === 'out';
  const deleted = Boolean(message.deletedAt);
  const showSender = chat.kind === 'group' && !mine && message.sender;
  return (
    <li class={`bubble ${mine ? 'out' : 'in'}`} data-message-id={message.id} data-status={message.status} aria-label={mine ? 'sent message' : 'received message'}>
      {showSender && <p class="sender">{personName(message.sender)}</p>}
      {message.forwarded && <p class="forwarded">↪ Forwarded</p>}
      {message.replyTo && (
        <blockquote class="quote" aria-label="in reply to">
          {quoted ? (quoted.deletedAt ? 'deleted message' : quoted.text || quoted.media?.filename || 'media') : 'an earlier message'}
        </blockquote>
      )}
      {deleted ? (
        <p class="deleted">This message was deleted</p>
      ) : (
        <>
          {message.media && <MediaView api={api} media={message.media} />}
          {message.text && <p class="text">{message.text}</p>}
        </>
      )}
      {message.reactions && message.reactions.length > 0 && (
        <ul class="reactions" aria-label="reactions">
          {message.reactions.map((r) => (
            <li key={`${r.sender.id}-${r.emoji}`} title={personName(r.sender)}>
              {r.emoji}
            </li>
          ))}
        </ul>
      )}
      <p class="meta">
        {message.editedAt && !deleted && <span class="edited">edited</span>}
        {message.origin === 'device' && <span>from phone</span>}
        <time dateTime={message.sentAt ?? message.createdAt}>{timeOf(message.sentAt ?? message.createdAt)}</time>
        {mine && <StatusTicks status={message.status} />}
        {!deleted && (
          <button type="button" class="link-button reply-button" aria-label="Reply" onClick={() => onReply(message)}>
            Reply
          </button>
        )}
      </p>
      {message.status === 'failed' && (
        <p class="error" role="alert">
          Not sent: {message.error ?? 'no reason given'}
        </p>
      )}
    </li>
  );
}
