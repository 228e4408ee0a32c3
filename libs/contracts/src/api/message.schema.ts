import { z } from '../zod';
import { IsoDateTime, storableString, Uuid } from './common.schema';

export const MessageDirection = z.enum(['in', 'out']);
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'received']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const MediaRef = z
  .object({ mimeType: z.string(), filename: z.string().nullable(), size: z.number().int(), url: z.string() })
  .openapi('MediaRef');
export type MediaRef = z.infer<typeof MediaRef>;

export const Message = z
  .object({
    id: Uuid,
    accountId: Uuid,
    chatId: Uuid,
    externalId: z.string().nullable(),
    direction: MessageDirection,
    text: z.string().nullable(),
    media: MediaRef.nullable(),
    status: MessageStatus,
    error: z.string().nullable(),
    sentAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
  })
  .openapi('Message');
export type Message = z.infer<typeof Message>;

export const MessagePage = z
  .object({ items: z.array(Message), nextCursor: z.string().nullable() })
  .openapi('MessagePage');

/** Largest decoded media accepted by the API (WhatsApp's own limit for most media). */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;
export const MAX_TEXT_LENGTH = 4096;

export const MediaUpload = z.object({
  data: z.base64().openapi({ description: 'base64, up to 16 MB decoded' }),
  mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/png'),
  filename: storableString().min(1).max(255).optional(),
});

export const SendMessageBody = z
  .object({
    chatId: Uuid.optional(),
    to: storableString().trim().min(1).max(256).optional(),
    text: storableString().min(1).max(MAX_TEXT_LENGTH).optional(),
    media: MediaUpload.optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.chatId === undefined) === (body.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['chatId'], message: 'give exactly one of chatId or to' });
    }
    if (body.text === undefined && body.media === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give text, media or both' });
    }
  })
  .openapi('SendMessageBody', {
    // The refinement above, for OpenAPI readers: exactly one address, at least one content.
    oneOf: [{ required: ['chatId'] }, { required: ['to'] }],
    anyOf: [{ required: ['text'] }, { required: ['media'] }],
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;
