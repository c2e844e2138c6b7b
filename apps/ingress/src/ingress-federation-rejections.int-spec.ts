import { type SimActor } from '@peerfed/platform/fedisim';
import { INGRESS_FEDERATION_SUITE, useIngressFederation } from './testing-fixtures/ingress-federation.fixture';
import { rawRequest, type RawResponse } from './testing-fixtures/raw-request.util';

describe(INGRESS_FEDERATION_SUITE, () => {
  const fed = useIngressFederation();

  describe('rejections: status, JSON error, nothing queued, nothing written', () => {
    let before: { queued: number; rows: Record<string, number> };

    beforeEach(async () => {
      before = { queued: await fed.inboundQueued(), rows: await fed.counts() };
    });

    afterEach(async () => {
      expect(await fed.inboundQueued()).toBe(before.queued);
      expect(await fed.counts()).toEqual(before.rows);
    });

    const activity = (): Record<string, unknown> => ({ id: fed.nextId('create'), type: 'Like', actor: fed.alice.id, object: fed.group });

    async function expectError(response: RawResponse | { status: number; body: string }, status: number, message: RegExp): Promise<void> {
      expect(response.status).toBe(status);
      const body = JSON.parse(response.body) as { statusCode: number; error: string; message: string };
      expect(body.statusCode).toBe(status);
      expect(typeof body.error).toBe('string');
      expect(body.message).toMatch(message);
    }

    async function signed(body: Buffer, actor: SimActor, options: { keyId?: string; date?: Date } = {}): Promise<Record<string, string>> {
      return fed.signedInboxHeaders(body, { keyId: options.keyId ?? actor.keyId, privateKeyPem: (await actor.keyPair()).privateKeyPem }, options.date);
    }

    it('no signature -> 401', async () => {
      const response = await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(activity()) });
      await expectError(response, 401, /no Signature/);
    });

    it('bad signature (signed with another key) -> 401', async () => {
      const body = Buffer.from(JSON.stringify(activity()));
      const headers = await signed(body, fed.mallory, { keyId: fed.alice.keyId });
      await expectError(await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body }), 401, /does not verify/);
    });

    it('wrong key owner (mallory signs an activity of alice) -> 403', async () => {
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, activity(), fed.mallory), 403, /belongs to .*not to the activity's actor/);
    });

    it("an activity id on another server's origin (claiming its activity first) -> 403, not marked as seen", async () => {
      const claimed = { ...activity(), id: 'https://elsewhere.example/users/zoe/activities/1' };
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, claimed, fed.alice), 403, /is not on the origin of its actor/);
      expect(await fed.redis.keys('*elsewhere.example*')).toEqual([]);
    });

    it('expired and future Date -> 401', async () => {
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, activity(), fed.alice, { date: new Date(Date.now() - 2 * 3600_000) }), 401, /too old/);
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, activity(), fed.alice, { date: new Date(Date.now() + 2 * 3600_000) }), 401, /in the future/);
    });

    it('digest mismatch -> 401', async () => {
      const body = Buffer.from(JSON.stringify(activity()));
      const headers = await signed(body, fed.alice);
      const tampered = Buffer.from(body.toString().replace('Like', 'Dislike'));
      await expectError(await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body: tampered }), 401, /digest/i);
    });

    it('body over the limit -> 413', async () => {
      const big = { ...activity(), content: 'x'.repeat(70_000) };
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, big, fed.alice), 413, /too large/i);
    });

    it('malformed JSON -> 400', async () => {
      const body = Buffer.from('{"id": ');
      await expectError(await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers: await signed(body, fed.alice), body }), 400, /not valid JSON/);
    });

    it('activity without id, type or actor -> 400', async () => {
      const { id: _id, ...noId } = activity();
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, noId, fed.alice), 400, /id/);
      const { type: _type, ...noType } = activity();
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, noType, fed.alice), 400, /type/);
      const { actor: _actor, ...noActor } = activity();
      await expectError(await fed.remote.signedPost(`${fed.base}/inbox`, noActor, fed.alice), 400, /actor/);
    });

    it('blocked domain -> 403', async () => {
      const blocked = fed.blockedInstance.actors[0] as SimActor;
      const like = { id: `${blocked.id}/likes/1`, type: 'Like', actor: blocked.id, object: fed.group };
      await expectError(await fed.blockedInstance.signedPost(`${fed.base}/inbox`, like, blocked), 403, /blocked/);
    });

    it('unknown actor inbox -> 404; other media types -> 415; every error carries the request id', async () => {
      const unknown = await fed.remote.signedPost(`${fed.base}/groups/nobody/inbox`, activity(), fed.alice);
      await expectError(unknown, 404, /no challenge named nobody/);
      const text = await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-request-id': 'inbox-test-1' }, body: 'hello' });
      await expectError(text, 415, /activity\+json/);
      expect(text.headers['x-request-id']).toBe('inbox-test-1');
    });

    it('a key fetch that hangs -> 401 once the fetch timeout fires', async () => {
      const actor = fed.odd.actor('hang');
      const body = Buffer.from(JSON.stringify({ id: `${actor}/likes/1`, type: 'Like', actor, object: fed.group }));
      const headers = await signed(body, fed.alice, { keyId: `${actor}#main-key` });
      await expectError(await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body }), 401, /timed? ?out|timeout/i);
    });

    it('a key fetch answering 10 MB -> 401 without reading it all', async () => {
      const actor = fed.odd.actor('huge');
      const body = Buffer.from(JSON.stringify({ id: `${actor}/likes/1`, type: 'Like', actor, object: fed.group }));
      const headers = await signed(body, fed.alice, { keyId: `${actor}#main-key` });
      await expectError(await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body }), 401, /large|exceed|bytes/i);
    });
  });
});
