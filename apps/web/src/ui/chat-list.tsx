import { useState } from 'preact/hooks';
import type { Chat } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { useStore } from '../state/store';
import { chatTitle, timeOf } from './format';

interface Props {
  model: ConsoleModel;
  selectedId: string | null;
  onSelect(chat: Chat): void;
}

/** Chats of one account or all, latest activity first, searchable by title. */
export function ChatList({ model, selectedId, onSelect }: Props) {
  const state = useStore(model.store);
  const [accountId, setAccountId] = useState('all');
  const [query, setQuery] = useState('');
  const accounts = Object.values(state.accounts);
  const needle = query.trim().toLowerCase();
  const chats = Object.values(state.chats)
    .filter((c) => (accountId === 'all' || c.accountId === accountId) && (!needle || chatTitle(c).toLowerCase().includes(needle)))
    .sort((a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));

  return (
    <nav class="chat-list" aria-label="Chats">
      <div class="chat-filters">
        <label>
          <span class="visually-hidden">Account</span>
          <select aria-label="Account" value={accountId} onChange={(e) => setAccountId(e.currentTarget.value)}>
            <option value="all">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <input type="search" aria-label="Search chats" placeholder="Search chats" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      {chats.length === 0 && <p class="muted pad">No chats yet.</p>}
      <ul>
        {chats.map((chat) => (
          <li key={chat.id}>
            <button
              type="button"
              class={`chat-item${chat.id === selectedId ? ' selected' : ''}`}
              aria-current={chat.id === selectedId ? 'true' : undefined}
              data-chat-id={chat.id}
              onClick={() => onSelect(chat)}
            >
              <span class="chat-title">{chatTitle(chat)}</span>
              <span class="chat-time">{timeOf(chat.lastMessageAt)}</span>
              <span class="chat-account muted">{state.accounts[chat.accountId]?.name ?? ''}</span>
              {chat.unreadCount > 0 && (
                <span class="unread" aria-label={`${chat.unreadCount} unread`}>
                  {chat.unreadCount}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
