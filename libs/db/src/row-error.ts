/**
 * Whether a PostgreSQL error is about the rows of a statement (class 22 "data exception": a NUL
 * byte, a value out of range; class 23 "integrity constraint": a foreign key to a deleted account)
 * rather than about the database or the connection. Only such an error belongs to one row: the
 * same statement without that row would succeed.
 */
export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
