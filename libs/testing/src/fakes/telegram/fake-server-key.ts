import { constants, createHash, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { readBigIntFromBuffer } from 'telegram/Helpers';
import { serializeBytes } from 'telegram/tl/generationHelpers';
import type bigInt from 'big-integer';

/**
 * The fake data centre's RSA key. Clients only accept a data centre whose key they know
 * (gramjs keeps them in `crypto/RSA._serverKeys`), so the public half is handed to the client
 * as PEM, exactly as a self-hosted MTProto server's key would be (`TELEGRAM_SERVER_KEYS`).
 */
export class FakeServerKey {
  readonly publicKeyPem: string;
  readonly fingerprint: bigInt.BigInteger;
  private readonly privateKey: KeyObject;

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const jwk = publicKey.export({ format: 'jwk' });
    const n = Buffer.from(jwk.n as string, 'base64url');
    const e = Buffer.from(jwk.e as string, 'base64url');
    // MTProto: the lower 64 bits of SHA1(rsa_public_key n:bytes e:bytes), as TL serialises them.
    const sha = createHash('sha1').update(Buffer.concat([serializeBytes(n), serializeBytes(e)])).digest();
    this.fingerprint = readBigIntFromBuffer(sha.subarray(-8), true, true);
  }

  /** Raw RSA (no padding): MTProto's RSA_PAD does its own padding. */
  decrypt(cipher: Buffer): Buffer {
    return privateDecrypt({ key: this.privateKey, padding: constants.RSA_NO_PADDING }, cipher);
  }
}
