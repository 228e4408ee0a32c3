import { Router, type Request } from 'express';
import {
  SandboxDeviceSendBody,
  SandboxEditBody,
  SandboxIncomingBody,
  SandboxReactBody,
  SandboxReadOnPhoneBody,
  SandboxRevokeBody,
  type z,
} from '@switchboard/contracts';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { parseBody, uuidParam } from '../http/validate';
import type { SandboxService } from '../services/sandbox.service';
import { jsonBody } from './json-body';

/** Mounted only when SANDBOX_ENABLED; otherwise these paths are unknown routes (404). */
export function sandboxRoutes(sandbox: SandboxService, auth: AuthMiddlewares): Router {
  const router = Router();
  const accountId = (req: Request) => uuidParam(req, 'id', 'Account');

  /** Something happens on the network (a contact writes, the phone acts): the body is checked, the answer is a 202. */
  function networkAction<S extends z.ZodType>(action: string, schema: S, perform: (tenantId: string, accountId: string, body: z.output<S>) => Promise<unknown>) {
    router.post(`/v1/sandbox/accounts/:id/${action}`, auth.tenant, jsonBody, async (req, res) => {
      const body = parseBody(schema, req);
      res.status(202).json(await perform(tenantIdOf(res), accountId(req), body));
    });
  }

  router.post('/v1/sandbox/accounts/:id/scan', auth.tenant, async (req, res) => {
    res.status(202).json(await sandbox.scan(tenantIdOf(res), accountId(req)));
  });

  networkAction('incoming', SandboxIncomingBody, (tenant, account, body) => sandbox.incoming(tenant, account, body));
  networkAction('device-send', SandboxDeviceSendBody, (tenant, account, body) => sandbox.deviceSend(tenant, account, body));
  networkAction('edit', SandboxEditBody, (tenant, account, body) => sandbox.edit(tenant, account, body));
  networkAction('revoke', SandboxRevokeBody, (tenant, account, body) => sandbox.revoke(tenant, account, body));
  networkAction('react', SandboxReactBody, (tenant, account, body) => sandbox.react(tenant, account, body));
  networkAction('read-on-phone', SandboxReadOnPhoneBody, (tenant, account, body) => sandbox.readOnPhone(tenant, account, body));

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
