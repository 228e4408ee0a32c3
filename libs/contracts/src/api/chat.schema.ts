import { z } from '../zod';
import { IsoDateTime, Uuid } from './common.schema';

export const ChatKind = z.enum(['private', 'group', 'channel']);
export type ChatKind = z.infer<typeof ChatKind>;

export const Chat = z
  .object({
    id: Uuid,
    accountId: Uuid,
    externalId: z.string(),
    title: z.string().nullable(),
    kind: ChatKind,
    /** The person's phone, when the provider tells it (private chats). */
    phone: z.string().nullable(),
    lastMessageAt: IsoDateTime.nullable(),
    unreadCount: z.number().int(),
  })
  .openapi('Chat');
export type Chat = z.infer<typeof Chat>;

export const ChatPage = z.object({ items: z.array(Chat), nextCursor: z.string().nullable() }).openapi('ChatPage');
