import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { type KeyPairPem } from './fedisim.types';

const generate = promisify(generateKeyPair);

/** A fresh RSA-2048 key pair (SPKI and PKCS#8 PEM), as Mastodon actors have. */
export async function generateRsaKeyPair(): Promise<KeyPairPem> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/**
 * A key pair generated on first use: RSA-2048 generation costs about 150 ms here, so a thousand
 * actors that nobody fetches or signs with must not pay for keys up front.
 */
export class LazyKeyPair {
  private pending: Promise<KeyPairPem> | undefined;
  private ready: KeyPairPem | undefined;

  get(): Promise<KeyPairPem> {
    this.pending ??= generateRsaKeyPair().then((pair) => {
      this.ready = pair;
      return pair;
    });
    return this.pending;
  }

  /** The key pair if it has been generated already. */
  peek(): KeyPairPem | undefined {
    return this.ready;
  }
}
