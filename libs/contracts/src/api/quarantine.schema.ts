import { z } from '../zod';
import { IsoDateTime, Uuid } from './common.schema';

export const QuarantinedMessage = z
  .object({
    id: Uuid,
    tenantId: Uuid,
    accountId: Uuid,
    externalId: z.string().openapi({ description: "The network's id of the message." }),
    reason: z.string().openapi({ description: 'Why PostgreSQL refused it (SQLSTATE and message).' }),
    payload: z.string().openapi({ description: 'The message as received, as JSON text (escapes keep every character).' }),
    createdAt: IsoDateTime,
  })
  .openapi('QuarantinedMessage');
export type QuarantinedMessage = z.infer<typeof QuarantinedMessage>;

export const QuarantinedMessageList = z.object({ items: z.array(QuarantinedMessage) }).openapi('QuarantinedMessageList');

export const QuarantineQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
