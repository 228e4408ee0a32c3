import type { Request, RequestHandler, Response } from 'express';
import { secretsEqual } from '@switchboard/db';
import type { ApiKeyResolver } from '../auth/api-key-resolver';
import { AuthFailureLimiter } from '../auth/auth-failure-limiter';
import { ApiError } from './api-error';

export type Credentials = { scheme: 'bearer'; secret: string } | { scheme: 'basic'; secret: string };

/**
 * Reads `Authorization`. Bearer carries the key; Basic carries it as the password (browsers
 * can only send that to Bull Board). Anything else is no credentials.
 */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (!header) return null;
  const match = /^(\w+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === 'bearer') return { scheme: 'bearer', secret: value };
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    return password ? { scheme: 'basic', secret: password } : null;
  }
  return null;
}

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string; keyId: string };

/** Who a key belongs to: the admin (ADMIN_API_KEY), a tenant (a stored key), or nobody. */
export class Authenticator {
  constructor(
    private readonly adminKey: string,
    private readonly apiKeys: ApiKeyResolver,
  ) {}

  async identify(secret: string): Promise<Principal | null> {
    if (secretsEqual(secret, this.adminKey)) return { kind: 'admin' };
    const resolved = await this.apiKeys.resolve(secret);
    return resolved ? { kind: 'tenant', tenantId: resolved.tenantId, keyId: resolved.keyId } : null;
  }
}

interface AuthLocals {
  principal?: Principal;
}

export const BASIC_CHALLENGE = 'Basic realm="Switchboard"';

export interface AuthMiddlewares {
  /** Tenant routes: a tenant key; the admin key is a 403. */
  tenant: RequestHandler;
  /** Tenant management and metrics: the admin key (bearer or basic password); a tenant key is a 403. */
  admin: RequestHandler;
  /** Bull Board: as `admin`, and a 401 asks the browser for credentials. */
  adminWithBrowserChallenge: RequestHandler;
}

export function authMiddlewares(authenticator: Authenticator, limiter = new AuthFailureLimiter()): AuthMiddlewares {
  /** Who the request's key belongs to; failures are counted, and too many are a 429 before the key is even looked at. */
  const identify = async (req: Request, res: Response, allowBasic: boolean): Promise<Principal | null> => {
    const credentials = parseAuthorization(req.headers.authorization);
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const presented = credentials?.secret ?? '';
    const waitMs = limiter.retryAfterMs(address, presented);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      res.setHeader('Retry-After', String(seconds));
      throw ApiError.rateLimited(`Too many failed authentications from this address; try again in ${seconds} s`);
    }
    const principal = !credentials || (credentials.scheme === 'basic' && !allowBasic) ? null : await authenticator.identify(credentials.secret);
    if (!principal) limiter.recordFailure(address, presented);
    return principal;
  };

  const tenant: RequestHandler = async (req, res, next) => {
    const principal = await identify(req, res, false);
    if (!principal) throw ApiError.unauthorized();
    if (principal.kind !== 'tenant') throw ApiError.forbidden('The admin key cannot act on tenant resources; use a tenant key');
    (res.locals as AuthLocals).principal = principal;
    next();
  };

  const adminOf = (challenge: boolean): RequestHandler => async (req, res, next) => {
    const principal = await identify(req, res, true);
    if (!principal) {
      if (challenge) res.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
      throw ApiError.unauthorized('The admin key is required (Bearer, or as the Basic-auth password)');
    }
    if (principal.kind !== 'admin') throw ApiError.forbidden('This needs the admin key; a tenant key cannot use it');
    (res.locals as AuthLocals).principal = principal;
    next();
  };

  return { tenant, admin: adminOf(false), adminWithBrowserChallenge: adminOf(true) };
}

/** The tenant of an authenticated tenant route. */
export function tenantIdOf(res: Response): string {
  const principal = (res.locals as AuthLocals).principal;
  if (principal?.kind !== 'tenant') throw new Error('tenantIdOf used on a route without tenant auth');
  return principal.tenantId;
}
