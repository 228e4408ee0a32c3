import { Router } from 'express';
import { ApiError } from '../http/api-error';
import type { ReadinessService } from '../services/readiness.service';

export function healthRoutes(readiness: ReadinessService): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const result = await readiness.check();
    if (!result.ready) {
      const names = result.failures.map((f) => f.path).join(', ');
      throw ApiError.unavailable(`Not ready: ${names} did not answer`, result.failures);
    }
    res.json({ status: 'ok' });
  });

  return router;
}
