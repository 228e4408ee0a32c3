import type { MediaRef } from '@switchboard/contracts';
import { ApiError } from '../http/api-error';

export interface SendContent {
  chatId: string;
  text: string | null;
  media: MediaRef | null;
}

/**
 * Whether a repeated Idempotency-Key asks for the same send as the first request: the same chat
 * (however it was addressed), text and media (the same bytes, type and name).
 */
export function isSameSend(first: SendContent, repeat: SendContent): boolean {
  const sameMedia =
    first.media === null || repeat.media === null
      ? first.media === repeat.media
      : first.media.url === repeat.media.url && first.media.mimeType === repeat.media.mimeType && first.media.filename === repeat.media.filename;
  return first.chatId === repeat.chatId && first.text === repeat.text && sameMedia;
}

/** As payment APIs do: a key reused for another body is a mistake worth a 409, not a silent first answer. */
export function assertSameSend(first: SendContent, repeat: SendContent): void {
  if (!isSameSend(first, repeat)) {
    throw new ApiError('conflict', 'This Idempotency-Key was already used with a different body', [
      { path: 'Idempotency-Key', message: 'was used before for a different message; use a new key for a new message' },
    ]);
  }
}
