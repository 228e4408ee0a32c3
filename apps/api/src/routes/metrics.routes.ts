import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AuthMiddlewares } from '../http/auth';

export function metricsRoutes(registry: Registry, auth: AuthMiddlewares): Router {
  const router = Router();

  router.get('/metrics', auth.admin, async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.send(text);
  });

  return router;
}
