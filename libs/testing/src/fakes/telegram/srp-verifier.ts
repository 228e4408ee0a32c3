import { Api } from 'telegram';
import { computeDigest } from 'telegram/Password';
import { bigIntMod, generateRandomBytes, modExp, readBigIntFromBuffer, readBufferFromBigInt, returnBigInt, sha256 } from 'telegram/Helpers';
import type bigInt from 'big-integer';
import { TELEGRAM_PRIME, TELEGRAM_PRIME_BYTES } from './telegram-prime';

const G = 3;
const forHash = (value: bigInt.BigInteger) => readBufferFromBigInt(value, 256, false);
const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((byte, i) => byte ^ b[i]));

/**
 * The server side of Telegram's 2FA check (core.telegram.org/api/srp): it stores the verifier
 * v = g^x mod p, offers B = k·v + g^b, and checks the client's M1 — so the password itself never
 * reaches the fake, just as with Telegram. x comes from gramjs's own KDF (`computeDigest`).
 */
export class SrpVerifier {
  private constructor(
    readonly algo: Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow,
    private readonly verifier: bigInt.BigInteger,
  ) {}

  static async forPassword(password: string): Promise<SrpVerifier> {
    const algo = new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
      salt1: generateRandomBytes(40),
      salt2: generateRandomBytes(16),
      g: G,
      p: TELEGRAM_PRIME_BYTES,
    });
    const v = readBigIntFromBuffer(await computeDigest(algo, password), false, false);
    return new SrpVerifier(algo, v);
  }

  /** A fresh challenge: the secret b and the public B that `account.password` carries. */
  async challenge(): Promise<{ b: bigInt.BigInteger; B: bigInt.BigInteger }> {
    const k = await this.k();
    const b = readBigIntFromBuffer(generateRandomBytes(256), false, false);
    const B = bigIntMod(k.multiply(this.verifier).add(modExp(returnBigInt(G), b, TELEGRAM_PRIME)), TELEGRAM_PRIME);
    return { b, B };
  }

  async check(challenge: { b: bigInt.BigInteger; B: bigInt.BigInteger }, A: Buffer, M1: Buffer): Promise<boolean> {
    const a = readBigIntFromBuffer(A, false, false);
    if (a.isZero() || a.geq(TELEGRAM_PRIME)) return false;
    const aForHash = forHash(a);
    const bForHash = forHash(challenge.B);
    const u = readBigIntFromBuffer(await sha256(Buffer.concat([aForHash, bForHash])), false, false);
    const S = modExp(bigIntMod(a.multiply(modExp(this.verifier, u, TELEGRAM_PRIME)), TELEGRAM_PRIME), challenge.b, TELEGRAM_PRIME);
    const K = await sha256(forHash(S));
    const expected = await sha256(
      Buffer.concat([
        xor(await sha256(TELEGRAM_PRIME_BYTES), await sha256(forHash(returnBigInt(G)))),
        await sha256(this.algo.salt1),
        await sha256(this.algo.salt2),
        aForHash,
        bForHash,
        K,
      ]),
    );
    return expected.equals(M1);
  }

  private async k(): Promise<bigInt.BigInteger> {
    return readBigIntFromBuffer(await sha256(Buffer.concat([TELEGRAM_PRIME_BYTES, forHash(returnBigInt(G))])), false, false);
  }
}
