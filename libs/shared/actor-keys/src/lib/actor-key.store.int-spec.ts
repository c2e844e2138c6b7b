import { createVerify, createSign } from 'node:crypto';
import { startTestPostgres, type TestPostgres } from '@peerfed/platform/testing';
import { DataSource } from 'typeorm';
import { ActorKeyStore } from './actor-key.store';
import { createActorKeysTable } from './actor-keys-table.util';
import { KeyEncryption } from './key-encryption.util';

describe('ActorKeyStore against Postgres', () => {
  let pg: TestPostgres;
  let dataSource: DataSource;
  const encryption = new KeyEncryption('a-test-secret-that-is-long-enough-1234');
  const actor = 'https://peerfed.example/users/alice';

  beforeAll(async () => {
    pg = await startTestPostgres();
    dataSource = new DataSource({ type: 'postgres', url: await pg.createDatabase('keys') });
    await dataSource.initialize();
    await dataSource.query('CREATE SCHEMA ingress');
    const runner = dataSource.createQueryRunner();
    await createActorKeysTable(runner);
    await runner.release();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await pg?.cleanup();
  });

  it('creates one key pair per actor, even when asked concurrently', async () => {
    const store = new ActorKeyStore(dataSource, encryption);
    const [a, b] = await Promise.all([store.ensureKeyPair(actor, `${actor}#main-key`), store.ensureKeyPair(actor, `${actor}#main-key`)]);
    expect(a).toEqual(b);
    expect(a.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const rows: { count: string }[] = await dataSource.query('SELECT count(*) FROM ingress.actor_keys');
    expect(Number(rows[0]?.count)).toBe(1);
  });

  it('stores the private key only sealed, and signs with it in a fresh store', async () => {
    const [row]: { private_key_sealed: string }[] = await dataSource.query('SELECT private_key_sealed FROM ingress.actor_keys WHERE actor_id = $1', [actor]);
    expect(row?.private_key_sealed).toMatch(/^v1:/);
    expect(row?.private_key_sealed).not.toContain('PRIVATE KEY');

    const reader = new ActorKeyStore(dataSource, encryption);
    const signing = await reader.signingKeyOf(actor);
    const publicKey = await reader.publicKeyOf(actor);
    if (!signing || !publicKey) throw new Error('the key pair created above is missing');
    expect(signing.keyId).toBe(`${actor}#main-key`);
    const signature = createSign('sha256').update('hello').sign(signing.privateKey);
    expect(createVerify('sha256').update('hello').verify(ActorKeyStore.parsePublicKey(publicKey), signature)).toBe(true);
  });

  it('answers undefined for an unknown actor and fails with the wrong secret', async () => {
    const store = new ActorKeyStore(dataSource, encryption);
    expect(await store.signingKeyOf('https://peerfed.example/users/nobody')).toBeUndefined();
    const wrong = new ActorKeyStore(dataSource, new KeyEncryption('another-secret-that-is-long-enough-123'));
    await expect(wrong.signingKeyOf(actor)).rejects.toThrow();
  });
});
