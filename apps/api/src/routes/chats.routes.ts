import { Router } from 'express';
import { PageLimit, z } from '@switchboard/contracts';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseQuery, uuidParam } from '../http/validate';
import type { ChatsService } from '../services/chats.service';

// An empty cursor (`?cursor=`) means the first page, as in the API reference's examples.
const cursorParam = z
  .string()
  .optional()
  .transform((v) => v || undefined);
const ChatsQuery = z.object({ limit: PageLimit, cursor: cursorParam });
const MessagesQuery = z.object({ limit: PageLimit, before: cursorParam });

export function chatsRoutes(chats: ChatsService, auth: AuthMiddlewares): Router {
  const router = Router();

  router.get('/v1/accounts/:id/chats', auth.tenant, async (req, res) => {
    const query = parseQuery(ChatsQuery, req);
    res.json(await chats.listChats(tenantIdOf(res), uuidParam(req, 'id', 'Account'), query));
  });

  router.get('/v1/accounts/:id/chats/:chatId/messages', auth.tenant, async (req, res) => {
    const query = parseQuery(MessagesQuery, req);
    const page = { limit: query.limit, cursor: query.before };
    res.json(await chats.listMessages(tenantIdOf(res), uuidParam(req, 'id', 'Account'), uuidParam(req, 'chatId', 'Chat'), page));
  });

  router.post('/v1/accounts/:id/chats/:chatId/read', auth.tenant, async (req, res) => {
    res.status(202).json(await chats.markRead(tenantIdOf(res), uuidParam(req, 'id', 'Account'), uuidParam(req, 'chatId', 'Chat')));
  });

  return router;
}
