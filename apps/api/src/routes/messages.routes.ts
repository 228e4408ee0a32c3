import { Router, type Request } from 'express';
import { SendMessageBody } from '@switchboard/contracts';
import { ApiError } from '../http/api-error';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseBody, uuidParam } from '../http/validate';
import type { MessagesService } from '../services/messages.service';
import { jsonBody } from './json-body';

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

function idempotencyKeyOf(req: Request): string | null {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return null;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw ApiError.validation('The Idempotency-Key header is invalid', [
      { path: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
    ]);
  }
  return key;
}

export function messagesRoutes(messages: MessagesService, auth: AuthMiddlewares): Router {
  const router = Router();

  router.post('/v1/accounts/:id/messages', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(SendMessageBody, req);
    const idempotencyKey = idempotencyKeyOf(req);
    res.status(202).json(await messages.send(tenantIdOf(res), uuidParam(req, 'id', 'Account'), body, idempotencyKey));
  });

  router.get('/v1/messages/:id', auth.tenant, async (req, res) => {
    res.json(await messages.get(tenantIdOf(res), uuidParam(req, 'id', 'Message')));
  });

  return router;
}
