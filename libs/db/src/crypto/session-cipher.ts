import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedBlob {
  keyId: string;
  blob: Buffer;
}

/** The id of a key: a short digest, stored beside each blob so keys can rotate. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM for session blobs. Encrypts with the current key; decrypts with whichever
 * known key the blob names. Layout of `blob`: iv (12) · tag (16) · ciphertext.
 */
export class SessionCipher {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKeyBase64: string, previousKeysBase64: readonly string[] = []) {
    for (const encoded of [currentKeyBase64, ...previousKeysBase64]) {
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32) throw new Error('session encryption keys must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    const key = Buffer.from(currentKeyBase64, 'base64');
    this.current = { id: keyIdOf(key), key };
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: Buffer, associatedData: string): SealedBlob {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    // The account id is bound as associated data: a blob copied to another account will not open.
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.current.id, blob: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]) };
  }

  open(sealed: SealedBlob, associatedData: string): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`no session key with id ${sealed.keyId} is configured`);
    const iv = sealed.blob.subarray(0, IV_BYTES);
    const tag = sealed.blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
