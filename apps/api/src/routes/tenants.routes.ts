import { Router } from 'express';
import { CreateTenantBody } from '@switchboard/contracts';
import type { AuthMiddlewares } from '../http/auth';
import { parseBody, uuidParam } from '../http/validate';
import type { TenantsService } from '../services/tenants.service';
import { jsonBody } from './json-body';

export function tenantsRoutes(tenants: TenantsService, auth: AuthMiddlewares): Router {
  const router = Router();

  router.post('/v1/tenants', auth.admin, jsonBody, async (req, res) => {
    const body = parseBody(CreateTenantBody, req);
    res.status(201).json(await tenants.create(body.name));
  });

  router.get('/v1/tenants', auth.admin, async (_req, res) => {
    res.json({ items: await tenants.list() });
  });

  router.get('/v1/tenants/:id/keys', auth.admin, async (req, res) => {
    res.json({ items: await tenants.listKeys(uuidParam(req, 'id', 'Tenant')) });
  });

  router.post('/v1/tenants/:id/keys', auth.admin, async (req, res) => {
    res.status(201).json(await tenants.createKey(uuidParam(req, 'id', 'Tenant')));
  });

  router.delete('/v1/tenants/:id/keys/:keyId', auth.admin, async (req, res) => {
    await tenants.revokeKey(uuidParam(req, 'id', 'Tenant'), uuidParam(req, 'keyId', 'API key'));
    res.status(204).end();
  });

  return router;
}
