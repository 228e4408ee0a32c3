import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { _serverKeys } from 'telegram/crypto/RSA';
import { readBigIntFromBuffer } from 'telegram/Helpers';
import { serializeBytes } from 'telegram/tl/generationHelpers';

const PEM_BLOCK = /-----BEGIN (?:RSA )?PUBLIC KEY-----[\s\S]+?-----END (?:RSA )?PUBLIC KEY-----/g;

/** The PEM public keys in a `TELEGRAM_SERVER_KEYS` file (one or more blocks). */
export function readServerKeysFile(path: string): string[] {
  const keys = readFileSync(path, 'utf8').match(PEM_BLOCK) ?? [];
  if (keys.length === 0) throw new Error(`TELEGRAM_SERVER_KEYS: no PEM public key in ${path}`);
  return keys;
}

/**
 * Adds RSA public keys (SPKI or PKCS#1 PEM) to gramjs's server keys, under the fingerprint MTProto
 * uses: the lower 64 bits of SHA1 over the TL-serialised modulus and exponent. gramjs keeps these
 * in one process-wide map, which is what it consults during auth key creation.
 */
export function addServerKeys(pems: readonly string[]): void {
  for (const pem of pems) {
    const jwk = createPublicKey(pem).export({ format: 'jwk' });
    if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new Error('a Telegram server key must be an RSA public key');
    const n = Buffer.from(jwk.n, 'base64url');
    const e = Buffer.from(jwk.e, 'base64url');
    const sha = createHash('sha1').update(Buffer.concat([serializeBytes(n), serializeBytes(e)])).digest();
    const fingerprint = readBigIntFromBuffer(sha.subarray(-8), true, true);
    _serverKeys.set(fingerprint.toString(), { n: readBigIntFromBuffer(n, false, false), e: e.readUIntBE(0, e.length) });
  }
}
