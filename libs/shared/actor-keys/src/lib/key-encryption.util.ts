import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;

/**
 * AES-256-GCM for private keys at rest. The actor id is the additional authenticated data, so a
 * ciphertext copied onto another actor's row fails to decrypt instead of signing as that actor.
 */
export class KeyEncryption {
  private readonly key: Buffer;

  /** `secret`: KEY_ENCRYPTION_KEY, at least 32 characters; hashed to the 256-bit AES key. */
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('KEY_ENCRYPTION_KEY must be at least 32 characters');
    this.key = createHash('sha256').update(secret, 'utf8').digest();
  }

  encrypt(plaintext: string, actorId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(actorId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(sealed: string, actorId: string): string {
    const [format, iv, tag, ciphertext] = sealed.split(':');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) throw new Error('unrecognised encrypted key format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(actorId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
