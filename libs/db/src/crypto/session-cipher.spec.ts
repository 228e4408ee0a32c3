import { randomBytes } from 'node:crypto';
import { SessionCipher } from './session-cipher';

const newKey = () => randomBytes(32).toString('base64');

describe('SessionCipher', () => {
  it('round-trips a blob and never stores the plaintext', () => {
    const cipher = new SessionCipher(newKey());
    const secret = Buffer.from('{"token":"very-secret"}');
    const sealed = cipher.seal(secret, 'account-1');
    expect(sealed.blob.includes(secret)).toBe(false);
    expect(cipher.open(sealed, 'account-1')).toEqual(secret);
  });

  it('refuses a blob moved to another account', () => {
    const cipher = new SessionCipher(newKey());
    const sealed = cipher.seal(Buffer.from('x'), 'account-1');
    expect(() => cipher.open(sealed, 'account-2')).toThrow();
  });

  it('opens blobs of a previous key after rotation and seals with the new one', () => {
    const oldKey = newKey();
    const sealed = new SessionCipher(oldKey).seal(Buffer.from('old'), 'a');
    const rotated = new SessionCipher(newKey(), [oldKey]);
    expect(rotated.open(sealed, 'a').toString()).toBe('old');
    expect(rotated.seal(Buffer.from('new'), 'a').keyId).not.toBe(sealed.keyId);
  });

  it('names the missing key when a blob was sealed with an unknown one', () => {
    const sealed = new SessionCipher(newKey()).seal(Buffer.from('x'), 'a');
    expect(() => new SessionCipher(newKey()).open(sealed, 'a')).toThrow(/no session key with id/);
  });
});
