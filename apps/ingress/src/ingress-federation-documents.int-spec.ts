import { INGRESS_FEDERATION_SUITE, useIngressFederation } from './testing-fixtures/ingress-federation.fixture';
import { rawRequest, type RawResponse } from './testing-fixtures/raw-request.util';

describe(INGRESS_FEDERATION_SUITE, () => {
  const fed = useIngressFederation();

  describe('discovery and documents', () => {
    it('answers WebFinger for acct: and actor URLs, with CORS, and JSON errors', async () => {
      const host = new URL(fed.base).host;
      const response = await rawRequest(`${fed.base}/.well-known/webfinger?resource=acct:demo@${host}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('application/jrd+json');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(response.body)).toMatchObject({
        subject: `acct:demo@${host}`,
        links: expect.arrayContaining([{ rel: 'self', type: 'application/activity+json', href: fed.group }]),
      });
      const byUrl = await rawRequest(`${fed.base}/.well-known/webfinger?resource=${encodeURIComponent(`${fed.base}/users/alice`)}`);
      expect(JSON.parse(byUrl.body)).toMatchObject({ subject: `acct:alice@${host}` });
      const missing = await rawRequest(`${fed.base}/.well-known/webfinger`);
      expect(missing.status).toBe(400);
      expect(JSON.parse(missing.body)).toMatchObject({ statusCode: 400, message: expect.stringContaining('resource') });
      const unknown = await rawRequest(`${fed.base}/.well-known/webfinger?resource=acct:nobody@${host}`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['access-control-allow-origin']).toBe('*');
    });

    it('serves NodeInfo 2.0/2.1 with real counts and host-meta', async () => {
      const links = JSON.parse((await rawRequest(`${fed.base}/.well-known/nodeinfo`)).body) as { links: { href: string }[] };
      expect(links.links.map((link) => link.href)).toEqual([`${fed.base}/nodeinfo/2.0`, `${fed.base}/nodeinfo/2.1`]);
      const info = JSON.parse((await rawRequest(`${fed.base}/nodeinfo/2.1`)).body) as Record<string, unknown>;
      expect(info).toMatchObject({ version: '2.1', software: { name: 'peerfed', repository: expect.any(String) }, protocols: ['activitypub'], usage: { users: { total: 2 } } });
      const hostMeta = await rawRequest(`${fed.base}/.well-known/host-meta`);
      expect(hostMeta.headers['content-type']).toContain('application/xrd+xml');
      expect(hostMeta.body).toContain(`${fed.base}/.well-known/webfinger?resource={uri}`);
    });

    it('serves the Group Lemmy-style to ActivityPub clients and HTML to browsers', async () => {
      const response = await rawRequest(fed.group, { headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' } });
      expect(response.headers['content-type']).toContain('application/activity+json');
      expect(JSON.parse(response.body)).toMatchObject({
        id: fed.group,
        type: 'Group',
        preferredUsername: 'demo',
        name: 'Demo challenge',
        inbox: `${fed.group}/inbox`,
        attributedTo: `${fed.group}/moderators`,
        endpoints: { sharedInbox: `${fed.base}/inbox` },
        publicKey: { id: `${fed.group}#main-key`, owner: fed.group, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
      });
      const page = await rawRequest(fed.group, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('Demo challenge');
      expect((await rawRequest(`${fed.base}/groups/nobody`)).status).toBe(404);
    });

    it('serves a local object, then a Tombstone with 410 once it is deleted', async () => {
      const uuid = '00000000-0000-4000-8000-000000000001';
      const id = `${fed.base}/objects/${uuid}`;
      const note = { id, type: 'Note', attributedTo: fed.group, content: 'Week 1: 20 km' };
      await fed.dataSource.query(
        `INSERT INTO ingress.objects (object_id, local, type, attributed_to, local_actor_id, name, content, document, published_at)
         SELECT $1, true, 'Note', $2, id, NULL, $3, $4, now() FROM ingress.local_actors WHERE username = 'demo'`,
        [id, fed.group, note.content, JSON.stringify(note)],
      );
      const live = await rawRequest(id, { headers: { accept: 'application/activity+json' } });
      expect([live.status, JSON.parse(live.body)]).toEqual([200, note]);
      await fed.dataSource.query('UPDATE ingress.objects SET deleted_at = now() WHERE object_id = $1', [id]);
      const gone = await rawRequest(id, { headers: { accept: 'application/activity+json' } });
      expect(gone.status).toBe(410);
      expect(JSON.parse(gone.body)).toMatchObject({ id, type: 'Tombstone', formerType: 'Note', deleted: expect.any(String) });
      await fed.dataSource.query('DELETE FROM ingress.objects WHERE object_id = $1', [id]);
    });

    it('limits actor documents per IP and hour: 429 with Retry-After and a JSON error', async () => {
      let response: RawResponse | undefined;
      for (let i = 0; i < 12 && response?.status !== 429; i++) response = await rawRequest(`${fed.base}/actor`);
      expect(response?.status).toBe(429);
      expect(Number(response?.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(response?.body ?? '{}')).toMatchObject({ statusCode: 429, message: expect.stringContaining('10 actor requests per hour') });
      // Collections have their own budget (outbox) or none (followers).
      expect((await rawRequest(`${fed.group}/outbox`)).status).toBe(200);
    });
  });
});
