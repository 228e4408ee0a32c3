import { Router, type Request } from 'express';
import { ConnectBody, CreateAccountBody, DisconnectBody, LoginBody } from '@switchboard/contracts';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseBody, uuidParam } from '../http/validate';
import type { AccountsService } from '../services/accounts.service';
import { jsonBody } from './json-body';

export function accountsRoutes(accounts: AccountsService, auth: AuthMiddlewares): Router {
  const router = Router();
  const accountId = (req: Request) => uuidParam(req, 'id', 'Account');

  router.post('/v1/accounts', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(CreateAccountBody, req);
    res.status(201).json(await accounts.create(tenantIdOf(res), body));
  });

  router.get('/v1/accounts', auth.tenant, async (_req, res) => {
    res.json({ items: await accounts.list(tenantIdOf(res)) });
  });

  router.get('/v1/accounts/:id', auth.tenant, async (req, res) => {
    res.json(await accounts.get(tenantIdOf(res), accountId(req)));
  });

  router.delete('/v1/accounts/:id', auth.tenant, async (req, res) => {
    res.status(202).json(await accounts.delete(tenantIdOf(res), accountId(req)));
  });

  router.post('/v1/accounts/:id/connect', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(ConnectBody, req);
    res.status(202).json(await accounts.connect(tenantIdOf(res), accountId(req), body));
  });

  router.post('/v1/accounts/:id/login', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(LoginBody, req);
    res.status(202).json(await accounts.login(tenantIdOf(res), accountId(req), body));
  });

  router.post('/v1/accounts/:id/disconnect', auth.tenant, jsonBody, async (req, res) => {
    const body = parseBody(DisconnectBody, req);
    res.status(202).json(await accounts.disconnect(tenantIdOf(res), accountId(req), body));
  });

  router.get('/v1/accounts/:id/qr', auth.tenant, async (req, res) => {
    res.json(await accounts.pendingQr(tenantIdOf(res), accountId(req)));
  });

  return router;
}
