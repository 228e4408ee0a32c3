import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import type { Queue } from 'bullmq';

export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board over every partition queue, behind the admin key. */
export function bullBoardRoutes(queues: Queue[], adminAuth: RequestHandler): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Switchboard' } },
  });
  const router = Router();
  router.use(BULL_BOARD_PATH, adminAuth, serverAdapter.getRouter() as Router);
  return router;
}
