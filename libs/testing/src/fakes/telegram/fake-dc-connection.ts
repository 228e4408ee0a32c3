import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Api } from 'telegram';
import type { AuthKey } from 'telegram/crypto/AuthKey';
import { BinaryReader } from 'telegram/extensions';
import { returnBigInt } from 'telegram/Helpers';
import type { AuthKeyRecord } from './auth-key-registry';
import { AuthKeyExchange } from './auth-key-exchange';
import { openEnvelope, sealEnvelope, type InboundMessage } from './encrypted-envelope';
import type { FakeServerKey } from './fake-server-key';
import { TcpFullFramer } from './tcp-full-framing';

const CONTAINER = 0x73f1f8dc;
const GZIP_PACKED = 0x3072cfa1;
const RPC_RESULT = 0xf35c6d01;

/** What a connection needs from its data centre. */
export interface DcServices {
  dcId: number;
  serverKey: FakeServerKey;
  registerAuthKey(authKey: AuthKey, dcId: number): AuthKeyRecord;
  findAuthKey(idBytes: Buffer): AuthKeyRecord | undefined;
  /** Runs one RPC; resolves with the serialized result or rejects with a FakeRpcError. */
  invoke(connection: FakeDcConnection, request: unknown, meta: { apiId?: number; layer?: number }): Promise<Buffer>;
  onProtocolError(error: Error): void;
  onUnknownAuthKey(idBytes: Buffer): void;
}

/** Server message ids: time-based, strictly increasing; low bits 01 for answers, 11 for pushes. */
class ServerMessageIds {
  private last = 0n;
  next(answer: boolean): bigint {
    const timeBased = BigInt(Math.floor(Date.now() / 1000)) << 32n;
    const candidate = timeBased > this.last + 4n ? timeBased : this.last + 4n;
    this.last = (candidate & ~3n) | (answer ? 1n : 3n);
    return this.last;
  }
}

/**
 * One client TCP connection to a fake data centre: TCPFull framing, the unencrypted auth key
 * exchange, then MTProto 2.0 messages (containers, gzip, invokeWithLayer/initConnection wrappers,
 * pings, acks) with RPC results and pushed updates going back encrypted.
 */
export class FakeDcConnection {
  private readonly framer = new TcpFullFramer();
  private readonly exchange: AuthKeyExchange;
  private readonly ids = new ServerMessageIds();
  private queue: Promise<void> = Promise.resolve();
  private seq = 0;
  private session?: { salt: Buffer; sessionId: Buffer };
  authKey?: AuthKeyRecord;
  closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly dc: DcServices,
  ) {
    this.exchange = new AuthKeyExchange(dc.serverKey);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Sends an unsolicited update (`Updates` constructor) on this connection. */
  push(updates: Api.TypeUpdates): void {
    this.queue = this.queue.then(() => this.sendEncrypted(updates.getBytes(), false)).catch((error) => this.fail(error));
  }

  private onData(chunk: Buffer): void {
    let payloads: Buffer[];
    try {
      payloads = this.framer.push(chunk);
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const payload of payloads) {
      this.queue = this.queue.then(() => this.onPacket(payload)).catch((error) => this.fail(error));
    }
  }

  private async onPacket(packet: Buffer): Promise<void> {
    const authKeyId = packet.subarray(0, 8);
    if (authKeyId.every((byte) => byte === 0)) return this.onPlain(packet);
    const record = this.dc.findAuthKey(authKeyId);
    if (!record) {
      // What Telegram does with a key it does not know (e.g. a session from another fake): the
      // transport error -404, then the connection closes.
      this.dc.onUnknownAuthKey(authKeyId);
      const code = Buffer.alloc(4);
      code.writeInt32LE(-404, 0);
      this.write(code);
      this.socket.end();
      this.closed = true;
      return;
    }
    this.authKey = record;
    const message = await openEnvelope(record.key, packet);
    this.session = { salt: message.salt, sessionId: message.sessionId };
    for (const inner of this.unpack(message)) await this.onMessage(inner);
  }

  private async onPlain(packet: Buffer): Promise<void> {
    const length = packet.readInt32LE(16);
    const request = new BinaryReader(packet.subarray(20, 20 + length)).tgReadObject();
    const { reply, authKey } = await this.exchange.answer(request);
    if (authKey) this.dc.registerAuthKey(authKey, this.dc.dcId);
    const body = reply.getBytes();
    const header = Buffer.alloc(20);
    header.writeBigInt64LE(this.ids.next(true), 8);
    header.writeInt32LE(body.length, 16);
    this.write(Buffer.concat([header, body]));
  }

  /** Flattens containers and gzip into the messages they carry. */
  private unpack(message: InboundMessage): InboundMessage[] {
    const constructorId = message.body.readUInt32LE(0);
    if (constructorId === GZIP_PACKED) {
      const reader = new BinaryReader(message.body.subarray(4));
      return this.unpack({ ...message, body: gunzipSync(reader.tgReadBytes()) });
    }
    if (constructorId !== CONTAINER) return [message];
    const reader = new BinaryReader(message.body.subarray(4));
    const count = reader.readInt();
    const messages: InboundMessage[] = [];
    for (let i = 0; i < count; i++) {
      const msgId = BigInt(reader.readLong().toString());
      const seqNo = reader.readInt();
      const length = reader.readInt();
      messages.push(...this.unpack({ ...message, msgId, seqNo, body: Buffer.from(reader.read(length)) }));
    }
    return messages;
  }

  private async onMessage(message: InboundMessage): Promise<void> {
    let request: unknown = new BinaryReader(message.body).tgReadObject();
    if (request instanceof Api.MsgsAck) return;
    if (request instanceof Api.PingDelayDisconnect || request instanceof Api.Ping) {
      const pong = new Api.Pong({ msgId: returnBigInt(message.msgId.toString()), pingId: request.pingId });
      return this.sendEncrypted(pong.getBytes(), true);
    }
    const meta: { apiId?: number; layer?: number } = {};
    for (;;) {
      if (request instanceof Api.InvokeWithLayer) {
        meta.layer = request.layer;
        request = request.query;
      } else if (request instanceof Api.InitConnection) {
        meta.apiId = request.apiId;
        request = request.query;
      } else if (request instanceof Api.InvokeAfterMsg || request instanceof Api.InvokeWithoutUpdates) {
        request = request.query;
      } else break;
    }
    let result: Buffer;
    try {
      result = await this.dc.invoke(this, request, meta);
    } catch (error) {
      const { code, errorMessage } = error as { code?: number; errorMessage?: string };
      result = new Api.RpcError({ errorCode: code ?? 500, errorMessage: errorMessage ?? `FAKE_INTERNAL_${String(error)}` }).getBytes();
    }
    const header = Buffer.alloc(12);
    header.writeUInt32LE(RPC_RESULT, 0);
    header.writeBigInt64LE(message.msgId, 4);
    await this.sendEncrypted(Buffer.concat([header, result]), true);
  }

  private async sendEncrypted(body: Buffer, answer: boolean): Promise<void> {
    if (!this.authKey || !this.session || this.closed) return;
    const packet = await sealEnvelope(this.authKey.key, this.authKey.idBytes, {
      ...this.session,
      msgId: this.ids.next(answer),
      seqNo: this.seq++ * 2 + 1,
      body,
    });
    this.write(packet);
  }

  private write(payload: Buffer): void {
    if (!this.closed) this.socket.write(this.framer.encode(payload));
  }

  private fail(error: unknown): void {
    this.dc.onProtocolError(error instanceof Error ? error : new Error(String(error)));
    this.close();
  }
}
