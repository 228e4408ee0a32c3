import { Router, type Request } from 'express';
import { SandboxIncomingBody } from '@switchboard/contracts';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseBody, uuidParam } from '../http/validate';
import type { SandboxService } from '../services/sandbox.service';
import { jsonBody } from './json-body';

/** Mounted only when SANDBOX_ENABLED; otherwise these paths are unknown routes (404). */
export function sandboxRoutes(sandbox: SandboxService, auth: AuthMiddlewares): Router {
  const router = Router();
  const accountId = (req: Request) => uuidParam(req, 'id', 'Account');

  router.post('/v1/sandbox/accounts/:id/scan', auth.tenant, async (req, res) => {
    res.status(202).json(await sandbox.scan(tenantIdOf(res), accountId(req)));
  });

  router.post('/v1/sandbox/accounts/:id/incoming', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(SandboxIncomingBody, req);
    res.status(202).json(await sandbox.incoming(tenantIdOf(res), accountId(req), body));
  });

  router.get('/v1/sandbox/accounts/:id/outbox', auth.tenant, async (req, res) => {
    res.json({ items: await sandbox.outbox(tenantIdOf(res), accountId(req)) });
  });

  router.post('/v1/sandbox/accounts/:id/logout-from-phone', auth.tenant, async (req, res) => {
    res.status(202).json(await sandbox.logoutFromPhone(tenantIdOf(res), accountId(req)));
  });

  router.get('/v1/sandbox/accounts/:id/devices', auth.tenant, async (req, res) => {
    res.json(await sandbox.devices(tenantIdOf(res), accountId(req)));
  });

  return router;
}
