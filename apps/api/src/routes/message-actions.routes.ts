import { Router } from 'express';
import { DeleteMessageQuery, EditMessageBody, ReactionBody } from '@switchboard/contracts';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseBody, parseQuery, uuidParam } from '../http/validate';
import type { MessageActionsService } from '../services/message-actions.service';
import { jsonBody } from './json-body';

/** Edit, delete and react to a stored message (each answered 202: the worker acts at the provider). */
export function messageActionsRoutes(actions: MessageActionsService, auth: AuthMiddlewares): Router {
  const router = Router();

  router.patch('/v1/messages/:id', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(EditMessageBody, req);
    res.status(202).json(await actions.edit(tenantIdOf(res), uuidParam(req, 'id', 'Message'), body));
  });

  router.delete('/v1/messages/:id', auth.tenant, async (req, res) => {
    const query = parseQuery(DeleteMessageQuery, req);
    res.status(202).json(await actions.delete(tenantIdOf(res), uuidParam(req, 'id', 'Message'), query.forEveryone === 'true'));
  });

  router.post('/v1/messages/:id/reactions', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(ReactionBody, req);
    res.status(202).json(await actions.react(tenantIdOf(res), uuidParam(req, 'id', 'Message'), body));
  });

  return router;
}
