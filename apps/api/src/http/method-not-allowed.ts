import type { RequestHandler } from 'express';
import { ApiError } from './api-error';

export interface KnownRoute {
  method: string;
  /** OpenAPI style: `/v1/accounts/{id}`. */
  path: string;
}

function patternOf(path: string): RegExp {
  const escaped = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Placed after every router: a request that reached it matched no route, so if its path is
 * a known one, its method is what is wrong: 405 with `Allow`, instead of a 404.
 */
export function methodNotAllowedHandler(routes: readonly KnownRoute[]): RequestHandler {
  const patterns = routes.map((route) => ({ method: route.method.toUpperCase(), pattern: patternOf(route.path) }));
  return (req, res, next) => {
    const allowed = new Set(patterns.filter(({ pattern }) => pattern.test(req.path)).map(({ method }) => method));
    // A known method that matched no router (a route switched off) is not a method problem.
    if (allowed.size === 0 || allowed.has(req.method)) {
      next();
      return;
    }
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    throw new ApiError('method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: ${allow}`);
  };
}
