/**
 * Whether a PostgreSQL error is about the rows of a statement rather than about the database or
 * the connection: class 22 "data exception" (a NUL byte, a value out of range), class 23
 * "integrity constraint" (a foreign key to a deleted account), class 54 "program limit exceeded"
 * (an index row too large). Only such an error belongs to one row: the same statement without
 * that row would succeed, and no retry of the row itself ever will.
 */
const ROW_ERROR_CLASSES = new Set(['22', '23', '54']);

export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 && ROW_ERROR_CLASSES.has(code.slice(0, 2));
}
