import { IGE } from 'telegram/crypto/IGE';
import { generateRandomBytes, mod, sha256 } from 'telegram/Helpers';
import { MTProtoState } from 'telegram/network/MTProtoState';

/** One message inside an encrypted packet, as the server sees it. */
export interface InboundMessage {
  salt: Buffer;
  sessionId: Buffer;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

// gramjs's own key derivation (x = 0 for client→server, x = 8 for server→client); it uses no state.
const deriveKey = MTProtoState.prototype._calcKey;

/**
 * MTProto 2.0 message encryption seen from the server (core.telegram.org/mtproto/description):
 * decrypt what a client sent with its auth key, encrypt answers and updates back.
 */
export async function openEnvelope(authKey: Buffer, packet: Buffer): Promise<InboundMessage> {
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = await deriveKey(authKey, msgKey, true);
  const plain = new IGE(key, iv).decryptIge(packet.subarray(24));
  const expected = (await sha256(Buffer.concat([authKey.subarray(88, 120), plain]))).subarray(8, 24);
  if (!expected.equals(msgKey)) throw new Error('msg_key mismatch');
  const length = plain.readInt32LE(28);
  if (length < 0 || 32 + length > plain.length) throw new Error(`bad message length ${length}`);
  return {
    salt: plain.subarray(0, 8),
    sessionId: plain.subarray(8, 16),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readInt32LE(24),
    body: plain.subarray(32, 32 + length),
  };
}

export async function sealEnvelope(
  authKey: Buffer,
  authKeyId: Buffer,
  message: { salt: Buffer; sessionId: Buffer; msgId: bigint; seqNo: number; body: Buffer },
): Promise<Buffer> {
  const header = Buffer.alloc(32);
  message.salt.copy(header, 0);
  message.sessionId.copy(header, 8);
  header.writeBigInt64LE(message.msgId, 16);
  header.writeInt32LE(message.seqNo, 24);
  header.writeInt32LE(message.body.length, 28);
  const data = Buffer.concat([header, message.body]);
  const padded = Buffer.concat([data, generateRandomBytes(mod(-(data.length + 12), 16) + 12)]);
  const msgKey = (await sha256(Buffer.concat([authKey.subarray(96, 128), padded]))).subarray(8, 24);
  const { key, iv } = await deriveKey(authKey, msgKey, false);
  return Buffer.concat([authKeyId, msgKey, new IGE(key, iv).encryptIge(padded)]);
}
