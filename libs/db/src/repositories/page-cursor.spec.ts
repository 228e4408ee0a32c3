import { decodeCursor, decodeMicrosCursor, encodeCursor, encodeMicrosCursor } from './page-cursor';

describe('page cursor', () => {
  const id = '8f14e45f-ceea-4e7a-9b0e-1f3f8e2c1a11';

  it('round-trips a position with and without a time', () => {
    const at = new Date('2026-11-24T10:00:00.000Z');
    expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
    expect(decodeCursor(encodeCursor({ at: null, id }))).toEqual({ at: null, id });
  });

  it('rejects what it did not write', () => {
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from('x|not-a-uuid').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from(`nope|${id}`).toString('base64url'))).toBeNull();
  });

  it('round-trips a microsecond cursor and rejects others', () => {
    expect(decodeMicrosCursor(encodeMicrosCursor('1795497307174123', id))).toEqual({ micros: '1795497307174123', id });
    expect(decodeMicrosCursor(encodeCursor({ at: new Date(), id }))).toBeNull();
    expect(decodeMicrosCursor('garbage')).toBeNull();
  });
});
