import { Router } from 'express';
import { QuarantineQuery, type QuarantinedMessage } from '@switchboard/contracts';
import type { QuarantineRepository } from '@switchboard/db';
import type { AuthMiddlewares } from '../http/auth';
import { parseQuery } from '../http/validate';

/** Operators' view of incoming messages that could not be stored (admin key). */
export function quarantineRoutes(quarantine: Pick<QuarantineRepository, 'list'>, auth: AuthMiddlewares): Router {
  const router = Router();

  router.get('/v1/quarantined-messages', auth.admin, async (req, res) => {
    const { limit } = parseQuery(QuarantineQuery, req);
    const items: QuarantinedMessage[] = (await quarantine.list(limit)).map((q) => ({ ...q, createdAt: q.createdAt.toISOString() }));
    res.json({ items });
  });

  return router;
}
