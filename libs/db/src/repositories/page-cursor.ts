/** Opaque keyset cursors: `<iso time or empty>|<uuid>`, base64url. */
export interface CursorPosition {
  at: Date | null;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at ? position.at.toISOString() : ''}|${position.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns null for anything that is not a cursor this module wrote. */
export function decodeCursor(cursor: string): CursorPosition | null {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const [at, id, ...rest] = decoded.split('|');
  if (rest.length > 0 || id === undefined || !UUID.test(id)) return null;
  if (at === '') return { at: null, id };
  const date = new Date(at ?? '');
  return Number.isNaN(date.getTime()) ? null : { at: date, id };
}

/** Cursors over microsecond timestamps: `<epoch microseconds>|<uuid>`, base64url. */
export function encodeMicrosCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}|${id}`).toString('base64url');
}

export function decodeMicrosCursor(cursor: string): { micros: string; id: string } | null {
  const [micros, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length > 0 || micros === undefined || !/^\d{1,20}$/.test(micros) || id === undefined || !UUID.test(id)) return null;
  return { micros, id };
}
