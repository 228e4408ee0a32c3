import { useState } from 'preact/hooks';
import type { ConsoleModel } from '../state/console-state';
import { useStore } from '../state/store';
import { ChatList } from './chat-list';
import { ThreadView } from './thread-view';

export function InboxPage({ model }: { model: ConsoleModel }) {
  const state = useStore(model.store);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const chat = selectedId ? state.chats[selectedId] : undefined;
  return (
    <section class={`inbox${chat ? ' has-thread' : ''}`} aria-label="Inbox">
      <ChatList model={model} selectedId={selectedId} onSelect={(c) => setSelectedId(c.id)} />
      {chat ? (
        <ThreadView model={model} chat={chat} onBack={() => setSelectedId(null)} />
      ) : (
        <div class="thread empty muted">Pick a chat.</div>
      )}
    </section>
  );
}
