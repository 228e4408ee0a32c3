import { Api } from 'telegram';
import { AuthKey } from 'telegram/crypto/AuthKey';
import { IGE } from 'telegram/crypto/IGE';
import { BinaryReader } from 'telegram/extensions';
import {
  bufferXor,
  generateKeyDataFromNonce,
  generateRandomBytes,
  getByteArray,
  modExp,
  readBigIntFromBuffer,
  returnBigInt,
  sha1,
  sha256,
} from 'telegram/Helpers';
import type bigInt from 'big-integer';
import type { FakeServerKey } from './fake-server-key';
import { TELEGRAM_PRIME, TELEGRAM_PRIME_BYTES } from './telegram-prime';

/** pq = 1229739323 × 1402015859: small enough for the client's Pollard-rho, as Telegram's are. */
const PQ = Buffer.from('17ed48941a08f981', 'hex');
const G = 3;

/**
 * The server half of MTProto's auth key creation (core.telegram.org/mtproto/auth_key) for one
 * connection: req_pq_multi → res_pq, req_DH_params (RSA_PAD) → server_DH_params_ok,
 * set_client_DH_params → dh_gen_ok. Strict: a step out of order or a wrong nonce throws.
 */
export class AuthKeyExchange {
  private nonce?: bigInt.BigInteger;
  private serverNonce?: bigInt.BigInteger;
  private newNonce?: bigInt.BigInteger;
  private a?: bigInt.BigInteger;
  private aes?: { key: Buffer; iv: Buffer };

  constructor(private readonly serverKey: FakeServerKey) {}

  /** Answers one plain request; `authKey` is set once the exchange completes. */
  async answer(request: unknown): Promise<{ reply: { getBytes(): Buffer }; authKey?: AuthKey }> {
    if (request instanceof Api.ReqPqMulti) return { reply: this.resPq(request) };
    if (request instanceof Api.ReqDHParams) return { reply: await this.serverDhParams(request) };
    if (request instanceof Api.SetClientDHParams) return this.dhGen(request);
    throw new Error(`unexpected unencrypted message ${describe(request)}`);
  }

  private resPq(request: Api.ReqPqMulti): Api.ResPQ {
    this.nonce = request.nonce;
    this.serverNonce = readBigIntFromBuffer(generateRandomBytes(16), false, true);
    return new Api.ResPQ({
      nonce: this.nonce,
      serverNonce: this.serverNonce,
      pq: PQ,
      serverPublicKeyFingerprints: [this.serverKey.fingerprint],
    });
  }

  private async serverDhParams(request: Api.ReqDHParams): Promise<Api.ServerDHParamsOk> {
    this.checkNonces(request);
    if (!request.publicKeyFingerprint.eq(this.serverKey.fingerprint)) throw new Error('req_DH_params: unknown key fingerprint');
    const keyAesEncrypted = this.serverKey.decrypt(request.encryptedData);
    const aesEncrypted = keyAesEncrypted.subarray(32);
    const tempKey = bufferXor(keyAesEncrypted.subarray(0, 32), await sha256(aesEncrypted));
    const dataWithHash = new IGE(tempKey, Buffer.alloc(32)).decryptIge(aesEncrypted);
    const dataWithPadding = Buffer.from(dataWithHash.subarray(0, 192)).reverse();
    const hash = await sha256(Buffer.concat([tempKey, dataWithPadding]));
    if (!hash.equals(dataWithHash.subarray(192, 224))) throw new Error('req_DH_params: RSA_PAD hash mismatch');
    const inner = new BinaryReader(dataWithPadding).tgReadObject();
    if (!(inner instanceof Api.PQInnerData)) throw new Error(`req_DH_params: expected p_q_inner_data, got ${describe(inner)}`);
    this.newNonce = inner.newNonce;

    this.a = readBigIntFromBuffer(generateRandomBytes(256), false, false);
    const gA = modExp(returnBigInt(G), this.a, TELEGRAM_PRIME);
    const innerBytes = new Api.ServerDHInnerData({
      nonce: this.nonce!,
      serverNonce: this.serverNonce!,
      g: G,
      dhPrime: TELEGRAM_PRIME_BYTES,
      gA: getByteArray(gA),
      serverTime: Math.floor(Date.now() / 1000),
    }).getBytes();
    const answer = Buffer.concat([await sha1(innerBytes), innerBytes]);
    const padded = Buffer.concat([answer, generateRandomBytes((16 - (answer.length % 16)) % 16)]);
    this.aes = await generateKeyDataFromNonce(this.serverNonce!, this.newNonce);
    return new Api.ServerDHParamsOk({
      nonce: this.nonce!,
      serverNonce: this.serverNonce!,
      encryptedAnswer: new IGE(this.aes.key, this.aes.iv).encryptIge(padded),
    });
  }

  private async dhGen(request: Api.SetClientDHParams): Promise<{ reply: Api.DhGenOk; authKey: AuthKey }> {
    this.checkNonces(request);
    if (!this.aes || !this.a || !this.newNonce) throw new Error('set_client_DH_params before req_DH_params');
    const plain = new IGE(this.aes.key, this.aes.iv).decryptIge(request.encryptedData);
    const reader = new BinaryReader(plain);
    reader.read(20);
    const inner = reader.tgReadObject();
    if (!(inner instanceof Api.ClientDHInnerData)) throw new Error(`set_client_DH_params: got ${describe(inner)}`);
    const gB = readBigIntFromBuffer(inner.gB, false, false);
    const authKey = new AuthKey();
    await authKey.setKey(getByteArray(modExp(gB, this.a, TELEGRAM_PRIME)));
    const newNonceHash1 = await authKey.calcNewNonceHash(this.newNonce, 1);
    return { reply: new Api.DhGenOk({ nonce: this.nonce!, serverNonce: this.serverNonce!, newNonceHash1 }), authKey };
  }

  private checkNonces(request: { nonce: bigInt.BigInteger; serverNonce: bigInt.BigInteger }): void {
    if (!this.nonce || !this.serverNonce || !request.nonce.eq(this.nonce) || !request.serverNonce.eq(this.serverNonce)) {
      throw new Error('auth key exchange: nonce mismatch');
    }
  }
}

function describe(value: unknown): string {
  return (value as { className?: string } | undefined)?.className ?? typeof value;
}
