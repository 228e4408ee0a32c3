import { createPublicKey } from 'node:crypto';
import { _serverKeys } from 'telegram/crypto/RSA';
import { readBufferFromBigInt } from 'telegram/Helpers';
import { addServerKeys } from './telegram-server-keys';
import { randomIdFor } from './telegram-random-id';

describe('addServerKeys', () => {
  it('files a key under the fingerprint Telegram publishes for it (SPKI and PKCS#1 alike)', () => {
    // Telegram's own production key, as gramjs ships it: re-adding it from PEM must land on the
    // published fingerprint, which proves the fingerprint formula.
    const [fingerprint, known] = [..._serverKeys.entries()][0];
    const n = readBufferFromBigInt(known.n, 256, false, false).toString('base64url');
    const e = Buffer.from([1, 0, 1]).toString('base64url');
    const key = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
    _serverKeys.delete(fingerprint);

    addServerKeys([key.export({ type: 'spki', format: 'pem' }).toString()]);
    expect(_serverKeys.get(fingerprint)?.n.eq(known.n)).toBe(true);
    _serverKeys.delete(fingerprint);
    addServerKeys([key.export({ type: 'pkcs1', format: 'pem' }).toString()]);
    expect(_serverKeys.get(fingerprint)?.e).toBe(65537);
  });
});

describe('randomIdFor', () => {
  it('is stable per message id and differs between ids', () => {
    expect(randomIdFor('m-1').eq(randomIdFor('m-1'))).toBe(true);
    expect(randomIdFor('m-1').eq(randomIdFor('m-2'))).toBe(false);
  });
});
