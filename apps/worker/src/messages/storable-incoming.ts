import { storableText } from '@switchboard/contracts';
import type { IncomingMessage } from '@switchboard/messengers';

/** Longest text kept of an incoming message; longer text is cut (and the cut logged). */
export const MAX_INCOMING_TEXT = 65_536;
/** Longest id, address or name kept: longer ones would not fit PostgreSQL's index rows. */
export const MAX_INCOMING_NAME = 1_024;

export interface StorableIncoming {
  message: IncomingMessage;
  /** `field: change` for each field that was changed (empty when the message was storable). */
  changes: string[];
}

/** Makes a message from a network storable: NUL and unpaired surrogates replaced, long text cut. */
export function storableIncoming(message: IncomingMessage): StorableIncoming {
  const changes: string[] = [];
  const clean = (field: string, value: string, max: number): string => {
    const result = storableText(value, max);
    for (const change of result.changes) changes.push(`${field}: ${change}`);
    return result.text;
  };
  const cleanOrNull = (field: string, value: string | null | undefined, max: number): string | null =>
    value === null || value === undefined ? null : clean(field, value, max);
  const stored: IncomingMessage = {
    ...message,
    externalId: clean('externalId', message.externalId, MAX_INCOMING_NAME),
    chat: {
      ...message.chat,
      externalId: clean('chat.externalId', message.chat.externalId, MAX_INCOMING_NAME),
      title: cleanOrNull('chat.title', message.chat.title, MAX_INCOMING_NAME),
      ...(message.chat.phone !== undefined ? { phone: cleanOrNull('chat.phone', message.chat.phone, 32) } : {}),
    },
    sender: message.sender
      ? {
          id: clean('sender.id', message.sender.id, MAX_INCOMING_NAME),
          name: cleanOrNull('sender.name', message.sender.name, MAX_INCOMING_NAME),
          phone: cleanOrNull('sender.phone', message.sender.phone, 32),
        }
      : message.sender,
    text: cleanOrNull('text', message.text, MAX_INCOMING_TEXT),
  };
  return { message: changes.length > 0 ? stored : message, changes };
}
