import { Router } from 'express';
import type { AuthMiddlewares } from '../http/auth';
import type { ClusterService } from '../services/cluster.service';

/** Operators' views for the admin key: the cluster (the console's cluster page polls it). */
export function adminRoutes(cluster: ClusterService, auth: AuthMiddlewares): Router {
  const router = Router();

  router.get('/v1/admin/cluster', auth.admin, async (_req, res) => {
    res.json(await cluster.view());
  });

  return router;
}
