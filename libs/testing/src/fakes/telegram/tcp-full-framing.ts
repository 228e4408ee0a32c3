import { crc32 } from 'telegram/Helpers';

/**
 * MTProto's "full" TCP transport, the one gramjs uses by default (ConnectionTCPFull):
 * each packet is `length:int32 seq:int32 payload crc32:uint32`, little-endian.
 */
export class TcpFullFramer {
  private pending = Buffer.alloc(0);
  private sendCounter = 0;

  /** Feeds received bytes; returns the complete payloads they finish. Throws on a bad checksum. */
  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const payloads: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < 12) throw new Error(`TCPFull: bad packet length ${length}`);
      if (this.pending.length < length) break;
      const packet = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      const expected = packet.readUInt32LE(length - 4);
      if (crc32(packet.subarray(0, length - 4)) !== expected) throw new Error('TCPFull: bad checksum');
      payloads.push(Buffer.from(packet.subarray(8, length - 4)));
    }
    return payloads;
  }

  encode(payload: Buffer): Buffer {
    const header = Buffer.alloc(8);
    header.writeInt32LE(payload.length + 12, 0);
    header.writeInt32LE(this.sendCounter++, 4);
    const body = Buffer.concat([header, payload]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(crc32(body), 0);
    return Buffer.concat([body, checksum]);
  }
}
