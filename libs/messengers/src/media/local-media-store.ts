import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Media bytes by content: the key of a blob is the SHA-256 (hex) of its bytes. */
export interface MediaStore {
  /** Stores the bytes (once: equal bytes share one blob) and returns their SHA-256 hex. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes, or null when the store has no such blob. */
  get(sha256: string): Promise<Buffer | null>;
  /** A stream of the bytes with their size, or null when the store has no such blob. */
  open(sha256: string): Promise<{ size: number; stream: Readable } | null>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * A content-addressed folder (`<dir>/<first two hex>/<sha256>`), shared by the api (uploads)
 * and the workers (downloads) on one machine or one volume. Writes go to a temporary name and
 * are renamed into place, so a reader never sees a half-written blob.
 */
export class LocalMediaStore implements MediaStore {
  constructor(private readonly dir: string) {}

  async put(bytes: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if ((await this.sizeOf(target)) === bytes.length) return sha256;
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | null> {
    if (!isSha256Hex(sha256)) return null;
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async open(sha256: string): Promise<{ size: number; stream: Readable } | null> {
    if (!isSha256Hex(sha256)) return null;
    const path = this.pathOf(sha256);
    const size = await this.sizeOf(path);
    return size === null ? null : { size, stream: createReadStream(path) };
  }

  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  private async sizeOf(path: string): Promise<number | null> {
    try {
      return (await stat(path)).size;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

const isNotFound = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
