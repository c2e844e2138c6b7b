import { RedisStreamsClient } from '@peerfed/platform/streams';
import { waitFor } from '@peerfed/platform/testing';
import { DeliveryGoneV1, SIGNATURE_SCHEMES_KEY } from '@peerfed/shared/contracts';
import { outboundLaneKey } from '@peerfed/shared/outbound';
import { INGRESS_FEDERATION_SUITE, useIngressFederation } from './testing-fixtures/ingress-federation.fixture';
import { rawRequest } from './testing-fixtures/raw-request.util';

describe(INGRESS_FEDERATION_SUITE, () => {
  const fed = useIngressFederation();

  describe('inbound activities', () => {
    let follow: Record<string, unknown>;

    it('Follow -> stored follower, follower event and an Accept queued for delivery', async () => {
      // Read (and so cache) the follower count first: the Follow must invalidate it.
      expect(JSON.parse((await rawRequest(`${fed.group}/followers`)).body)).toMatchObject({ type: 'OrderedCollection', totalItems: 0 });
      follow = { '@context': 'https://www.w3.org/ns/activitystreams', id: fed.nextId('follow'), type: 'Follow', actor: fed.alice.id, object: fed.group };
      expect(await fed.send(follow, fed.alice, `${fed.group}/inbox`)).toBe(202);
      await fed.applied(String(follow['id']));
      const rows = (await fed.dataSource.query('SELECT follower_id, inbox, state FROM ingress.followers')) as Record<string, unknown>[];
      expect(rows).toEqual([{ follower_id: fed.alice.id, inbox: fed.alice.inbox, state: 'accepted' }]);
      const [accept] = await fed.accepts();
      expect(accept).toMatchObject({ actorId: fed.group, audience: { followers: false, inboxes: [fed.alice.inbox] }, activity: { type: 'Accept', actor: fed.group, object: { id: follow['id'] } } });
      const events = await fed.redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'added', localActorId: fed.group, followerId: fed.alice.id } });
      const followers = JSON.parse((await rawRequest(`${fed.group}/followers?page=1`)).body) as Record<string, unknown>;
      expect(followers).toMatchObject({ type: 'OrderedCollectionPage', totalItems: 1, orderedItems: [fed.alice.id] });
    });

    it('a replayed activity is answered 202, not queued again and applied once', async () => {
      const queued = await fed.inboundQueued();
      expect(await fed.send(follow)).toBe(202);
      expect(await fed.inboundQueued()).toBe(queued);
      expect(await fed.accepts()).toHaveLength(1);
    });

    it('Create/Update of a Note to the Group, Like and its Undo, Delete -> database changes, each announced by the Group to its followers', async () => {
      const noteId = `${fed.alice.id}/notes/${fed.nextSeq()}`;
      const note = { id: noteId, type: 'Note', attributedTo: fed.alice.id, content: 'ran 5 km', to: [fed.group], published: new Date().toISOString() };
      const create = { id: fed.nextId('create'), type: 'Create', actor: fed.alice.id, object: note, to: [fed.group] };
      expect(await fed.send(create)).toBe(202);
      await fed.applied(String(create.id));
      const stored = async (): Promise<Record<string, unknown> | undefined> =>
        ((await fed.dataSource.query('SELECT content, deleted_at, local FROM ingress.objects WHERE object_id = $1', [noteId])) as Record<string, unknown>[])[0];
      expect(await stored()).toMatchObject({ content: 'ran 5 km', deleted_at: null, local: false });

      const update = { id: fed.nextId('update'), type: 'Update', actor: fed.alice.id, object: { ...note, content: 'ran 6 km' }, to: [fed.group] };
      expect(await fed.send(update)).toBe(202);
      await fed.applied(update.id);
      expect(await stored()).toMatchObject({ content: 'ran 6 km' });

      // Someone else (same server) rewriting Alice's note: nothing stored, published or announced.
      const forged = { id: `${fed.mallory.id}/updates/${fed.nextSeq()}`, type: 'Update', actor: fed.mallory.id, object: { ...note, attributedTo: fed.mallory.id, content: 'ran 60 km' }, to: [fed.group] };
      expect(await fed.send(forged, fed.mallory)).toBe(202);
      await fed.applied(forged.id);
      expect(await stored()).toMatchObject({ content: 'ran 6 km' });

      const like = { id: fed.nextId('like'), type: 'Like', actor: fed.alice.id, object: noteId };
      expect(await fed.send(like)).toBe(202);
      await fed.applied(like.id);
      const votes = async (): Promise<unknown[]> => fed.dataSource.query('SELECT kind FROM ingress.votes WHERE object_id = $1', [noteId]);
      expect(await votes()).toEqual([{ kind: 'like' }]);
      const undo = { id: fed.nextId('undo'), type: 'Undo', actor: fed.alice.id, object: like };
      expect(await fed.send(undo)).toBe(202);
      await fed.applied(undo.id);
      expect(await votes()).toEqual([]);

      const remove = { id: fed.nextId('delete'), type: 'Delete', actor: fed.alice.id, object: noteId };
      expect(await fed.send(remove)).toBe(202);
      await fed.applied(remove.id);
      expect(await stored()).toMatchObject({ content: null, deleted_at: expect.any(Date) });

      expect((await fed.payloads('{ingress.posts.v1}:medium')).filter((post) => post['objectId'] === noteId).map((post) => post['change'])).toEqual(['created', 'updated', 'deleted']);
      expect(await fed.payloads('{ingress.votes.v1}:medium')).toEqual([
        { change: 'cast', kind: 'like', actorId: fed.alice.id, objectId: noteId, activityId: like.id },
        { change: 'withdrawn', kind: 'like', actorId: fed.alice.id, objectId: noteId, activityId: like.id },
      ]);
      // FEP-1b12: the Group passes each of them on, embedded whole, to its followers.
      const announces = (await fed.payloads(outboundLaneKey('medium'))).filter((p) => p['actorId'] === fed.group);
      expect(announces.map((p) => (p['activity'] as { object: { id: string } }).object.id)).toEqual([create.id, update.id, like.id, undo.id, remove.id]);
      expect(announces[0]).toMatchObject({
        audience: { followers: true, inboxes: [] },
        activity: { type: 'Announce', actor: fed.group, to: ['https://www.w3.org/ns/activitystreams#Public'], cc: [`${fed.group}/followers`], object: { type: 'Create', actor: fed.alice.id, object: { id: noteId } } },
      });
    });

    it('records unknown types and acknowledges them', async () => {
      const flag = { id: fed.nextId('flag'), type: 'Flag', actor: fed.alice.id, object: fed.group };
      expect(await fed.send(flag)).toBe(202);
      await fed.applied(flag.id);
      expect(await fed.dataSource.query('SELECT type FROM ingress.inbound_activities WHERE activity_id = $1', [flag.id])).toEqual([{ type: 'Flag' }]);
    });

    it('Undo(Follow) removes the follower and emits the removal', async () => {
      const undo = { id: fed.nextId('unfollow'), type: 'Undo', actor: fed.alice.id, object: follow };
      expect(await fed.send(undo)).toBe(202);
      await fed.applied(undo.id);
      expect(await fed.dataSource.query('SELECT * FROM ingress.followers')).toEqual([]);
      const events = await fed.redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(JSON.parse(events.at(-1)?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'removed', followerId: fed.alice.id } });
    });

    it('accepts RFC 9421 signatures too, and tells delivery that host takes them (never overriding what delivery learned)', async () => {
      await fed.redis.del(SIGNATURE_SCHEMES_KEY);
      const like = { id: fed.nextId('like'), type: 'Like', actor: fed.alice.id, object: fed.group };
      expect((await fed.remote.signedPost(`${fed.base}/inbox`, like, fed.alice, { scheme: 'rfc9421' })).status).toBe(202);
      await fed.applied(like.id);
      await waitFor(async () => (await fed.redis.hget(SIGNATURE_SCHEMES_KEY, fed.remote.host)) === 'rfc9421', { timeoutMs: 2_000, description: 'host recorded' });
      // Delivery saw that host refuse RFC 9421 later: a further RFC 9421 request does not undo it.
      await fed.redis.hset(SIGNATURE_SCHEMES_KEY, fed.remote.host, 'cavage');
      const again = { id: fed.nextId('like'), type: 'Like', actor: fed.alice.id, object: fed.group };
      expect((await fed.remote.signedPost(`${fed.base}/inbox`, again, fed.alice, { scheme: 'rfc9421' })).status).toBe(202);
      await fed.applied(again.id);
      expect(await fed.redis.hget(SIGNATURE_SCHEMES_KEY, fed.remote.host)).toBe('cavage');
    });

    it('Accept and Reject answer follows our actors sent', async () => {
      const [demo] = (await fed.dataSource.query("SELECT id FROM ingress.local_actors WHERE username = 'demo'")) as { id: string }[];
      const sent = `${fed.group}/follows/${fed.nextSeq()}`;
      await fed.dataSource.query("INSERT INTO ingress.following (follow_activity_id, local_actor_id, remote_actor_id, state) VALUES ($1, $2, $3, 'pending')", [sent, demo?.id, fed.alice.id]);
      const accept = { id: fed.nextId('accept'), type: 'Accept', actor: fed.alice.id, object: { id: sent, type: 'Follow', actor: fed.group, object: fed.alice.id } };
      expect(await fed.send(accept)).toBe(202);
      await fed.applied(accept.id);
      expect(await fed.dataSource.query('SELECT state FROM ingress.following WHERE follow_activity_id = $1', [sent])).toEqual([{ state: 'accepted' }]);
      const reject = { id: fed.nextId('reject'), type: 'Reject', actor: fed.alice.id, object: sent };
      expect(await fed.send(reject)).toBe(202);
      await fed.applied(reject.id);
      expect(await fed.dataSource.query('SELECT state FROM ingress.following WHERE follow_activity_id = $1', [sent])).toEqual([{ state: 'rejected' }]);
    });

    it('Delete of the actor itself purges its follows, votes and posts and marks it gone', async () => {
      const follow = { id: `${fed.mallory.id}/follows/${fed.nextSeq()}`, type: 'Follow', actor: fed.mallory.id, object: fed.group };
      const seq = fed.nextSeq();
      const noteId = `${fed.mallory.id}/notes/${seq}`;
      const create = { id: `${fed.mallory.id}/creates/${seq}`, type: 'Create', actor: fed.mallory.id, to: [fed.group], object: { id: noteId, type: 'Note', attributedTo: fed.mallory.id, content: 'spam', to: [fed.group] } };
      const like = { id: `${fed.mallory.id}/likes/${seq}`, type: 'Like', actor: fed.mallory.id, object: noteId };
      for (const activity of [follow, create, like]) {
        expect(await fed.send(activity, fed.mallory)).toBe(202);
        await fed.applied(activity.id);
      }
      expect(await fed.dataSource.query('SELECT count(*)::int AS n FROM ingress.followers WHERE follower_id = $1', [fed.mallory.id])).toEqual([{ n: 1 }]);
      const remove = { id: `${fed.mallory.id}#delete`, type: 'Delete', actor: fed.mallory.id, object: fed.mallory.id };
      expect(await fed.send(remove, fed.mallory)).toBe(202);
      await fed.applied(remove.id);
      expect(await fed.dataSource.query('SELECT count(*)::int AS n FROM ingress.followers WHERE follower_id = $1', [fed.mallory.id])).toEqual([{ n: 0 }]);
      expect(await fed.dataSource.query('SELECT count(*)::int AS n FROM ingress.votes WHERE actor_id = $1', [fed.mallory.id])).toEqual([{ n: 0 }]);
      expect(await fed.dataSource.query('SELECT content FROM ingress.objects WHERE object_id = $1 AND deleted_at IS NOT NULL', [noteId])).toEqual([{ content: null }]);
      expect(await fed.dataSource.query('SELECT gone FROM ingress.remote_actors WHERE actor_id = $1', [fed.mallory.id])).toEqual([{ gone: true }]);
      const events = await fed.redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(JSON.parse(events.at(-1)?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'removed', followerId: fed.mallory.id } });
      expect((await fed.payloads('{ingress.votes.v1}:medium')).at(-1)).toEqual({ change: 'withdrawn', kind: 'like', actorId: fed.mallory.id, objectId: noteId, activityId: like.id });
      expect((await fed.payloads('{ingress.posts.v1}:medium')).at(-1)).toEqual({ change: 'deleted', objectId: noteId, attributedTo: fed.mallory.id });
    });

    it('a Delete of an actor we never stored is answered 202 without a fetch or a queue entry', async () => {
      const stranger = `http://127.0.0.1:9/users/ghost`;
      const body = Buffer.from(JSON.stringify({ id: `${stranger}#delete`, type: 'Delete', actor: stranger, object: stranger }));
      const headers = await fed.signedInboxHeaders(body, { keyId: `${stranger}#main-key`, privateKeyPem: (await fed.mallory.keyPair()).privateKeyPem });
      const queued = await fed.inboundQueued();
      const response = await rawRequest(`${fed.base}/inbox`, { method: 'POST', headers, body });
      expect(response.status).toBe(202);
      expect(await fed.inboundQueued()).toBe(queued);
    });

    // Last: Alice is gone afterwards.
    it("delivery's report of a 410 Gone at Alice's inbox (delivery.gone.v1) removes her follows and marks her gone; a shared inbox names nobody", async () => {
      const follow = { id: fed.nextId('follow'), type: 'Follow', actor: fed.alice.id, object: fed.group };
      expect(await fed.send(follow)).toBe(202);
      await fed.applied(follow.id);
      const followsOfAlice = async (): Promise<unknown> => fed.dataSource.query('SELECT count(*)::int AS n FROM ingress.followers WHERE follower_id = $1', [fed.alice.id]);
      expect(await followsOfAlice()).toEqual([{ n: 1 }]);
      const handled = async (n: number): Promise<boolean> =>
        ((await fed.dataSource.query(`SELECT count(*)::int AS n FROM ingress.processed_messages WHERE consumer = 'ingress.forget-gone-inbox'`)) as Array<{ n: number }>)[0]?.n === n;
      const delivery = new RedisStreamsClient({ url: fed.redisServer.url, contracts: [DeliveryGoneV1] });
      try {
        const sharedInbox = `${new URL(fed.alice.id).origin}/inbox`;
        await delivery.publishMessage(DeliveryGoneV1, { inbox: sharedInbox, activityId: `${fed.group}/announces/1` });
        await waitFor(() => handled(1), { timeoutMs: 15_000, description: 'the shared-inbox report handled' });
        expect(await followsOfAlice()).toEqual([{ n: 1 }]);

        const report = { inbox: fed.alice.inbox, activityId: `${fed.group}/announces/2` };
        await delivery.publishMessage(DeliveryGoneV1, report);
        await delivery.publishMessage(DeliveryGoneV1, report);
        await waitFor(() => handled(2), { timeoutMs: 15_000, description: "the report of Alice's inbox handled" });
      } finally {
        await delivery.close();
      }
      expect(await followsOfAlice()).toEqual([{ n: 0 }]);
      expect(await fed.dataSource.query('SELECT gone FROM ingress.remote_actors WHERE actor_id = $1', [fed.alice.id])).toEqual([{ gone: true }]);
      const removals = (await fed.payloads('{ingress.followers.v1}:high')).filter((e) => e['change'] === 'removed' && e['followerId'] === fed.alice.id);
      expect(removals.length).toBeGreaterThanOrEqual(1);
      expect(removals.at(-1)).toMatchObject({ localActorId: fed.group, inbox: fed.alice.inbox });
      expect(JSON.parse((await rawRequest(`${fed.group}/followers`)).body)).toMatchObject({ totalItems: 0 });
    });
  });
});
