import { KeyEncryption } from './key-encryption.util';

describe('KeyEncryption', () => {
  const encryption = new KeyEncryption('a-test-secret-that-is-long-enough-1234');
  const actor = 'https://peerfed.example/users/alice';

  it('round-trips a private key bound to its actor', () => {
    const sealed = encryption.encrypt('-----BEGIN PRIVATE KEY-----\nabc\n', actor);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(encryption.decrypt(sealed, actor)).toBe('-----BEGIN PRIVATE KEY-----\nabc\n');
  });

  it('uses a fresh IV for every encryption', () => {
    expect(encryption.encrypt('same', actor)).not.toBe(encryption.encrypt('same', actor));
  });

  it('refuses a ciphertext moved onto another actor', () => {
    const sealed = encryption.encrypt('secret', actor);
    expect(() => encryption.decrypt(sealed, 'https://peerfed.example/users/mallory')).toThrow();
  });

  it('refuses a tampered ciphertext and a different secret', () => {
    const sealed = encryption.encrypt('secret', actor);
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3] ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => encryption.decrypt([...parts.slice(0, 3), flipped.toString('base64')].join(':'), actor)).toThrow();
    expect(() => new KeyEncryption('another-secret-that-is-long-enough-123').decrypt(sealed, actor)).toThrow();
    expect(() => encryption.decrypt('v0:x:y:z', actor)).toThrow('unrecognised encrypted key format');
  });

  it('rejects a short secret', () => {
    expect(() => new KeyEncryption('short')).toThrow('KEY_ENCRYPTION_KEY must be at least 32 characters');
  });
});
