import type { Request } from 'express';
import type { z } from 'zod';
import { Uuid } from '@switchboard/contracts';
import { ApiError } from './api-error';

/** Parses the JSON body; no body at all counts as `{}` so optional-only bodies may be omitted. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.validation('The body must be a JSON object', [{ path: '', message: 'must be a JSON object' }]);
  }
  return schema.parse(body);
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.query);
}

/** A single path segment's value ('' when absent). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** A path id: one that is not a UUID names nothing, so it is a 404 like any unknown id. */
export function uuidParam(req: Request, name: string, what: string): string {
  const value = pathParam(req, name);
  if (!Uuid.safeParse(value).success) throw ApiError.notFound(what);
  return value.toLowerCase();
}
