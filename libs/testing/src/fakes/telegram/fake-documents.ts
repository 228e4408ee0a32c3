import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { FakeRpcError } from './fake-rpc-error';
import { now } from './update-log';

/** Files the fake stores as documents, served by `upload.getFile` as strictly as Telegram does. */
export class FakeDocuments {
  private readonly stored = new Map<string, { document: Api.Document; bytes: Buffer }>();

  /** Stores a file on `dcId` (what a sender uploaded). */
  add(bytes: Buffer, mimeType: string, fileName: string, dcId: number): Api.Document {
    const document = new Api.Document({
      id: returnBigInt(randomBytes(7).readUIntBE(0, 6)),
      accessHash: returnBigInt(randomBytes(7).readUIntBE(0, 6)),
      fileReference: randomBytes(16),
      date: now(),
      mimeType,
      size: returnBigInt(bytes.length),
      dcId,
      attributes: [new Api.DocumentAttributeFilename({ fileName })],
    });
    this.stored.set(document.id.toString(), { document, bytes });
    return document;
  }

  /** upload.getFile: the bytes at [offset, offset + limit) of a document on this DC. */
  part(location: unknown, offset: number, limit: number, dcId: number): Buffer {
    if (!(location instanceof Api.InputDocumentFileLocation)) throw new FakeRpcError(400, 'LOCATION_INVALID');
    const stored = this.stored.get(location.id.toString());
    if (!stored || !location.accessHash.eq(stored.document.accessHash)) throw new FakeRpcError(400, 'LOCATION_INVALID');
    if (!location.fileReference.equals(stored.document.fileReference)) throw new FakeRpcError(400, 'FILE_REFERENCE_EXPIRED');
    if (stored.document.dcId !== dcId) throw new FakeRpcError(303, `FILE_MIGRATE_${stored.document.dcId}`);
    if (limit <= 0 || limit > 1024 * 1024 || limit % 1024 !== 0 || offset % 1024 !== 0) throw new FakeRpcError(400, 'LIMIT_INVALID');
    return stored.bytes.subarray(offset, offset + limit);
  }
}
