import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router } from 'express';

/**
 * The built web console, when it has been built: static files, and index.html for the
 * console's own client-side routes: browser navigations (Accept names text/html) that match
 * nothing else. API clients (JSON or any-type Accept) still get the JSON 404.
 */
export function consoleRoutes(webDistDir: string): Router | null {
  const root = resolve(webDistDir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return null;
  const router = Router();
  router.use(express.static(root, { index: 'index.html' }));
  router.use((req, res, next) => {
    const navigation = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (navigation && !req.path.startsWith('/v1/')) res.sendFile(index);
    else next();
  });
  return router;
}
