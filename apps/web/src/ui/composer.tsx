import { useRef, useState } from 'preact/hooks';
import type { Chat, Message } from '../api/api-types';
import type { ConsoleModel } from '../state/console-state';
import { fileAsBase64 } from './format';

interface Props {
  model: ConsoleModel;
  chat: Chat;
  replyTo: Message | null;
  onReplyDone(): void;
}

export function Composer({ model, chat, replyTo, onReplyDone }: Props) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!text.trim() && !file) return;
    setError(null);
    setSending(true);
    try {
      const media = file ? { data: await fileAsBase64(file), mimeType: file.type || 'application/octet-stream', filename: file.name } : undefined;
      const message = await model.api.send(chat.accountId, {
        chatId: chat.id,
        ...(text.trim() ? { text } : {}),
        ...(media ? { media } : {}),
        ...(replyTo ? { replyTo: replyTo.id } : {}),
      });
      model.upsertMessage(message);
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onReplyDone();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="composer" onSubmit={send} aria-label="Write a message">
      {replyTo && (
        <div class="replying">
          <span>Replying to: {replyTo.text ?? replyTo.media?.filename ?? 'media'}</span>
          <button type="button" class="icon-button" aria-label="Cancel reply" onClick={onReplyDone}>
            ×
          </button>
        </div>
      )}
      {file && (
        <div class="replying">
          <span>Attachment: {file.name}</span>
          <button
            type="button"
            class="icon-button"
            aria-label="Remove attachment"
            onClick={() => {
              setFile(null);
              if (fileInput.current) fileInput.current.value = '';
            }}
          >
            ×
          </button>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="composer-row">
        <label class="attach" title="Attach a file">
          <span class="visually-hidden">Attach a file</span>
          <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
            <path d="M21 11.5l-8.5 8.5a5.5 5.5 0 0 1-7.8-7.8l9-9a3.7 3.7 0 0 1 5.2 5.2l-9 9a1.8 1.8 0 0 1-2.6-2.6l8.3-8.3" />
          </svg>
          <input ref={fileInput} type="file" name="attachment" class="visually-hidden" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <textarea
          name="text"
          aria-label="Message"
          rows={1}
          placeholder="Message"
          value={text}
          maxLength={4096}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              (e.currentTarget.form as HTMLFormElement).requestSubmit();
            }
          }}
        />
        <button type="submit" class="primary" disabled={sending}>
          Send
        </button>
      </div>
    </form>
  );
}
