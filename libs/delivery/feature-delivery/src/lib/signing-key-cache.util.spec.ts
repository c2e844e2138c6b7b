import { generateKeyPairSync } from 'node:crypto';
import { SigningKeyCache } from './signing-key-cache.util';

describe('SigningKeyCache', () => {
  it('shares one store read between concurrent callers and reads again afterwards', async () => {
    const key = { keyId: 'http://localhost:3000/users/a#main-key', privateKey: generateKeyPairSync('ed25519').privateKey };
    const store = { signingKeyOf: jest.fn(async () => key) };
    const cache = new SigningKeyCache(store);
    const results = await Promise.all([cache.signingKeyOf('a'), cache.signingKeyOf('a'), cache.signingKeyOf('a')]);
    expect(results).toEqual([key, key, key]);
    expect(store.signingKeyOf).toHaveBeenCalledTimes(1);
    await cache.signingKeyOf('a');
    expect(store.signingKeyOf).toHaveBeenCalledTimes(2);
  });
});
