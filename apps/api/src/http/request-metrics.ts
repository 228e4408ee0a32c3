import type { Request, RequestHandler } from 'express';
import type { Histogram } from 'prom-client';
import type { Logger } from '@switchboard/config';

/** The route pattern (`/v1/accounts/:id`), never the raw path: raw ids would explode the label set. */
export function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

export function observeRequests(histogram: Histogram<'method' | 'route' | 'status'>, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      histogram.observe(labels, seconds);
      logger.debug({ ...labels, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}
