import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chat, Message } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { useStore } from '../state/store';
import { Composer } from './composer';
import { chatTitle } from './format';
import { MessageBubble } from './message-bubble';

interface ScrollSnapshot {
  atBottom: boolean;
  /** The first message in view and its distance from the list's top edge. */
  anchorId: string | undefined;
  anchorOffset: number;
  firstId: string | undefined;
  count: number;
}

function offsetInList(list: HTMLElement, id: string | undefined): number | null {
  const bubble = id ? list.querySelector<HTMLElement>(`[data-message-id="${id}"]`) : null;
  return bubble ? bubble.getBoundingClientRect().top - list.getBoundingClientRect().top : null;
}

function anchorOf(list: HTMLElement): { anchorId: string | undefined; anchorOffset: number } {
  const top = list.getBoundingClientRect().top;
  const bubble = [...list.querySelectorAll<HTMLElement>('[data-message-id]')].find((b) => b.getBoundingClientRect().bottom > top);
  return { anchorId: bubble?.dataset.messageId, anchorOffset: bubble ? bubble.getBoundingClientRect().top - top : 0 };
}

/** One chat: older pages load as you scroll up (without a jump), new messages keep it at the bottom. */
export function ThreadView({ model, chat, onBack }: { model: ConsoleModel; chat: Chat; onBack(): void }) {
  const state = useStore(model.store);
  const thread = model.thread(chat.id);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const snapshot = useRef<ScrollSnapshot | null>(null);
  /** Whether the reader is at the newest message: an image that loads late keeps them there. */
  const atBottom = useRef(true);

  useEffect(() => {
    snapshot.current = null;
    setReplyTo(null);
    void model.loadMessages(chat, false);
  }, [chat.id, state.generation]);

  useEffect(() => {
    void model.markRead(chat);
  }, [chat.id, chat.unreadCount, state.canMarkRead]);

  // Before the DOM changes, remember where we were…
  const element = list.current;
  if (element && snapshot.current) {
    snapshot.current = {
      ...snapshot.current,
      ...anchorOf(element),
      atBottom: element.scrollHeight - element.scrollTop - element.clientHeight < 40,
    };
  }
  // …and after it changed, keep the same message at the same place (older pages load above it).
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const before = snapshot.current;
    const firstId = thread.messages[0]?.id;
    if (!before || before.count === 0) el.scrollTop = el.scrollHeight;
    else if (firstId !== before.firstId) {
      const offset = offsetInList(el, before.anchorId);
      if (offset !== null) el.scrollTop += offset - before.anchorOffset;
    } else if (before.atBottom && thread.messages.length !== before.count) el.scrollTop = el.scrollHeight;
    snapshot.current = { atBottom: true, ...anchorOf(el), firstId, count: thread.messages.length };
  }, [thread.messages]);

  const onScroll = () => {
    const el = list.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el && el.scrollTop < 120 && thread.nextCursor && !thread.loading) void model.loadMessages(chat, true);
  };

  const byId = new Map(thread.messages.map((m) => [m.id, m]));
  const byExternalId = new Map(thread.messages.filter((m) => m.externalId).map((m) => [m.externalId as string, m]));
  const account = state.accounts[chat.accountId];

  return (
    <section class="thread" aria-label={`chat ${chatTitle(chat)}`}>
      <header class="thread-head">
        <button type="button" class="icon-button back" aria-label="Back to chats" onClick={onBack}>
          ←
        </button>
        <div>
          <h2>{chatTitle(chat)}</h2>
          <p class="muted">
            {chat.kind}
            {account ? ` · ${account.name}` : ''}
          </p>
        </div>
      </header>
      {thread.loading && thread.nextCursor && <p class="loading-older">Loading older messages…</p>}
      <ol
        class="messages"
        ref={list}
        onScroll={onScroll}
        onLoadCapture={() => {
          if (list.current && atBottom.current) list.current.scrollTop = list.current.scrollHeight;
        }}
        aria-label="messages"
        aria-busy={thread.loading}
      >
        {thread.messages.map((message) => (
          <MessageBubble
            key={message.id}
            api={model.api}
            chat={chat}
            message={message}
            quoted={message.replyTo ? (byId.get(message.replyTo.messageId ?? '') ?? byExternalId.get(message.replyTo.externalId) ?? null) : null}
            onReply={setReplyTo}
          />
        ))}
      </ol>
      <Composer model={model} chat={chat} replyTo={replyTo} onReplyDone={() => setReplyTo(null)} />
    </section>
  );
}
