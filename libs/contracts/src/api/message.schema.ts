import { z } from '../zod';
import { IsoDateTime, storableString, Uuid } from './common.schema';

export const MessageDirection = z.enum(['in', 'out']);
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'received']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const MessageOrigin = z.enum(['api', 'device', 'contact']);
export type MessageOrigin = z.infer<typeof MessageOrigin>;

export const MessageType = z.enum(['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact', 'poll', 'system', 'unsupported']);
export type MessageType = z.infer<typeof MessageType>;

export const MediaState = z.enum(['ready', 'pending', 'too_large', 'failed']);
export type MediaState = z.infer<typeof MediaState>;

export const MediaRef = z
  .object({
    mimeType: z.string(),
    filename: z.string().nullable(),
    /** Bytes; null while a download whose size the provider did not announce is pending. */
    size: z.number().int().nullable(),
    /** Where the bytes are served (`/v1/media/:sha256`) once `ready`; null before. */
    url: z.string().nullable(),
    state: MediaState,
    /** Why a download failed (`failed`), or why it was skipped (`too_large`). */
    error: z.string().nullable().optional(),
  })
  .openapi('MediaRef');
export type MediaRef = z.infer<typeof MediaRef>;

/** Someone on the network: a contact, a group member, or the account itself. */
export const Person = z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable() }).openapi('Person');
export type Person = z.infer<typeof Person>;

export const ReplyRef = z.object({ messageId: Uuid.nullable(), externalId: z.string() }).openapi('ReplyRef');
export type ReplyRef = z.infer<typeof ReplyRef>;

export const Reaction = z.object({ emoji: z.string(), sender: Person, at: IsoDateTime }).openapi('Reaction');
export type Reaction = z.infer<typeof Reaction>;

export const Message = z
  .object({
    id: Uuid,
    accountId: Uuid,
    chatId: Uuid,
    externalId: z.string().nullable(),
    direction: MessageDirection,
    origin: MessageOrigin,
    sender: Person.nullable(),
    type: MessageType,
    /** The text, or the caption of a media message; null once deleted for everyone. */
    text: z.string().nullable(),
    media: MediaRef.nullable(),
    replyTo: ReplyRef.nullable(),
    forwarded: z.boolean(),
    reactions: z.array(Reaction),
    editedAt: IsoDateTime.nullable(),
    deletedAt: IsoDateTime.nullable(),
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
    /** A message of the same chat this one answers. */
    replyTo: Uuid.optional(),
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

export const EditMessageBody = z.object({ text: z.string().min(1).max(MAX_TEXT_LENGTH) }).openapi('EditMessageBody');
export type EditMessageBody = z.infer<typeof EditMessageBody>;

/** An empty emoji removes the account's reaction. */
export const ReactionBody = z.object({ emoji: z.string().max(32) }).openapi('ReactionBody');
export type ReactionBody = z.infer<typeof ReactionBody>;

export const DeleteMessageQuery = z.object({ forEveryone: z.enum(['true', 'false']).optional() });

/** Where the api serves a media blob of the media store (content-addressed by its SHA-256). */
export const mediaUrlOf = (sha256: string): string => `/v1/media/${sha256}`;
