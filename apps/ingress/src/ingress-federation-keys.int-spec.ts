import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateRsaKeyPair, type PemKeyPair } from '@peerfed/shared/activitypub';
import { DataSource } from 'typeorm';
import { INBOUND_LANES, INGRESS_FEDERATION_SUITE, useIngressFederation } from './testing-fixtures/ingress-federation.fixture';
import { rawRequest, type RawResponse } from './testing-fixtures/raw-request.util';

// How ingress gets actor keys: a rotated key is refetched once; loopback keys are never fetched.
describe(INGRESS_FEDERATION_SUITE, () => {
  const fed = useIngressFederation();

  describe('key rotation', () => {
    async function postAs(actorId: string, keys: PemKeyPair, activity: Record<string, unknown>): Promise<RawResponse> {
      const body = Buffer.from(JSON.stringify(activity));
      const headers = await fed.signedInboxHeaders(body, { keyId: `${actorId}#main-key`, privateKeyPem: keys.privateKeyPem });
      return rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body });
    }

    it('a signature that fails with the cached key refetches it once; Update(Person) stores the new key', async () => {
      const rotor = fed.odd.actor('rotor');
      const like = { id: `${rotor}/likes/1`, type: 'Like', actor: rotor, object: fed.group };
      expect((await postAs(rotor, fed.odd.keys, like)).status).toBe(202);
      await fed.applied(like.id);
      const storedKey = async (): Promise<unknown> =>
        ((await fed.dataSource.query('SELECT public_key_pem FROM ingress.remote_actors WHERE actor_id = $1', [rotor])) as { public_key_pem: string }[])[0]?.public_key_pem;
      const oldKeys = fed.odd.keys;
      expect(await storedKey()).toBe(oldKeys.publicKeyPem);
      const fetchesBefore = fed.odd.gets.get('/users/rotor') ?? 0;

      fed.odd.keys = await generateRsaKeyPair();
      const update = { id: `${rotor}#update-1`, type: 'Update', actor: rotor, object: { id: rotor, type: 'Person', inbox: `${rotor}/inbox` } };
      expect((await postAs(rotor, fed.odd.keys, update)).status).toBe(202);
      await fed.applied(update.id);
      expect(await storedKey()).toBe(fed.odd.keys.publicKeyPem);
      expect((fed.odd.gets.get('/users/rotor') ?? 0) - fetchesBefore).toBeGreaterThanOrEqual(1);

      // The old key no longer verifies, even after the one refetch.
      const stale = await postAs(rotor, oldKeys, { id: `${rotor}/likes/2`, type: 'Like', actor: rotor, object: fed.group });
      expect(stale.status).toBe(401);
    });
  });

  describe('with the SSRF guard on (ALLOW_LOOPBACK_PEERS=false)', () => {
    let guarded: NestFastifyApplication;
    let guardedBase: string;

    beforeAll(async () => {
      ({ app: guarded, base: guardedBase } = await fed.bootIngress('ingress_guarded', {
        // Its own Redis database: its workers must not consume the other app's streams.
        REDIS_URL: `${fed.redisServer.url}/1`,
        ALLOW_LOOPBACK_PEERS: 'false',
        ALLOW_HTTP_PEERS: 'true',
      }));
    }, 60_000);

    afterAll(async () => {
      await guarded?.close();
    });

    it('an actor URL resolving to a forbidden address (loopback) -> 401, nothing fetched, queued or written', async () => {
      const gets = fed.remote.stats().documentGets;
      const like = { id: fed.nextId('like'), type: 'Like', actor: fed.alice.id, object: `${guardedBase}/groups/demo` };
      const response = await fed.remote.signedPost(`${guardedBase}/inbox`, like, fed.alice);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 401, message: expect.stringMatching(/loopback/i) });
      expect(fed.remote.stats().documentGets).toBe(gets);
      const guardedData = guarded.get(DataSource);
      expect(await guardedData.query('SELECT count(*)::int AS n FROM ingress.remote_actors')).toEqual([{ n: 0 }]);
      const redis1 = fed.redisServer.client({ db: 1 });
      try {
        for (const lane of INBOUND_LANES) expect(await redis1.xlen(lane)).toBe(0);
      } finally {
        redis1.disconnect();
      }
    });
  });
});
