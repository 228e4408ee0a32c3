import type { Readable } from 'node:stream';
import { mediaUrlOf, type MediaRef } from '@switchboard/contracts';
import type { MessageRepository } from '@switchboard/db';
import { isSha256Hex, type MediaStore } from '@switchboard/messengers';
import { ApiError } from '../http/api-error';

export interface MediaDownload {
  media: MediaRef;
  size: number;
  stream: Readable;
}

/** Media is content-addressed and shared; a tenant may read a blob only if one of its messages references it. */
export class MediaService {
  constructor(private readonly deps: { messages: MessageRepository; store: MediaStore }) {}

  async open(tenantId: string, sha256: string): Promise<MediaDownload> {
    const key = sha256.toLowerCase();
    if (!isSha256Hex(key)) throw ApiError.notFound('Media');
    const media = await this.deps.messages.findMediaForTenant(tenantId, mediaUrlOf(key));
    if (!media) throw ApiError.notFound('Media');
    const blob = await this.deps.store.open(key);
    if (!blob) throw ApiError.notFound('Media');
    return { media, size: blob.size, stream: blob.stream };
  }
}
