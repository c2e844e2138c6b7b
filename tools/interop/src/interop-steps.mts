// The interop check itself: what a foreign server does to join a Peerfed challenge, step by step.
// Every step throws with the evidence (statuses, answers, what arrived) when it fails.
import { randomUUID } from 'node:crypto';
import { type Accept, Create, Follow, Group, Like, Note, PUBLIC_COLLECTION, Undo } from '@fedify/fedify';
import { type ForeignServer, type InboxDelivery } from './foreign-server.mjs';
import { type Step } from './report.mjs';
import { type Exchange } from './target-fetch.mjs';

export interface InteropInput {
  readonly server: ForeignServer;
  readonly target: URL;
  readonly handle: string;
  readonly acceptTimeoutMs: number;
  /** Every exchange with the target so far (filled by the fetch wrapper). */
  readonly exchanges: readonly Exchange[];
}

function describe(e: Exchange): string {
  const via = e.requestedUrl ? ` (asked as ${e.requestedUrl}, sent over http)` : '';
  return `${e.method} ${e.url}${via} -> ${e.status ?? e.error ?? '?'}`;
}

function describeDelivery(d: InboxDelivery): string {
  const how = d.signed ? 'with an HTTP Signature' : 'UNSIGNED';
  const body = d.bodySigned ? ' and an LD signature/proof' : ', no LD signature or proof (so the HTTP Signature is what Fedify verified)';
  return `POST ${d.path} ${how}${body} -> ${d.status}${d.answer ? ` ${d.answer}` : ''}`;
}

function sameUrl(a: URL | null | undefined, b: URL | null | undefined): boolean {
  return a != null && b != null && a.href === b.href;
}

export function interopSteps(input: InteropInput): Step[] {
  const { server, target, handle, exchanges } = input;
  const ctx = server.context;
  const sender = { identifier: server.identifier };
  let group: Group | null = null;
  let follow: Follow | null = null;
  let note: Note | null = null;
  let create: Create | null = null;
  const newId = (kind: string) => new URL(`/${kind}/${randomUUID()}`, server.origin);

  const sendAndCheck = async (activity: Create | Like | Follow | Undo): Promise<string> => {
    if (group?.inboxId == null) throw new Error('no Group inbox');
    const inbox = group.inboxId.href;
    const before = exchanges.length;
    await ctx.sendActivity(sender, group, activity, { immediate: true });
    const post = exchanges.slice(before).find((e) => e.method === 'POST' && e.url === inbox);
    if (post?.status === undefined) throw new Error(`no POST to ${inbox} was seen`);
    if (post.status < 200 || post.status > 299) throw new Error(describe(post));
    return `${activity.id?.href} -> POST ${inbox} -> ${post.status}`;
  };

  return [
    {
      name: 'foreign server (Fedify 1.5.9) on 127.0.0.1',
      run: async () => {
        const res = await fetch(server.actorId, { headers: { accept: 'application/activity+json' } });
        if (res.status !== 200) throw new Error(`own actor ${server.actorId.href} answered ${res.status}`);
        return `actor ${server.actorId.href} (RSA key ${server.actorId.href}#main-key)`;
      },
    },
    {
      name: `look up ${handle} (WebFinger, then the actor document)`,
      run: async () => {
        const before = exchanges.length;
        const found = await ctx.lookupObject(handle);
        const trail = exchanges.slice(before).map(describe).join('\n');
        if (found === null) throw new Error(`Fedify found nothing\n${trail || 'no request reached the target'}`);
        if (!(found instanceof Group)) throw new Error(`expected a Group, got ${found.constructor.name} ${found.id?.href}\n${trail}`);
        group = found;
        return `Group ${found.id?.href}\n${trail}`;
      },
    },
    {
      name: 'the Group has an inbox and a public key',
      run: async () => {
        if (group === null) throw new Error('no Group');
        if (group.inboxId === null) throw new Error('the Group has no inbox');
        if (group.id === null || new URL(group.id).origin !== target.origin) throw new Error(`the Group's id ${group.id?.href} is not on ${target.origin}`);
        const key = await group.getPublicKey({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
        if (key?.publicKey == null) throw new Error(`no usable publicKey (publicKey id: ${group.publicKeyId?.href ?? 'none'})`);
        if (!sameUrl(key.ownerId, group.id)) throw new Error(`the key ${key.id?.href} is owned by ${key.ownerId?.href}, not the Group`);
        return `inbox ${group.inboxId.href}, key ${key.id?.href} (${key.publicKey.algorithm.name})`;
      },
    },
    {
      name: 'send a signed Follow to the Group',
      run: async () => {
        if (group === null) throw new Error('no Group');
        follow = new Follow({ id: newId('follows'), actor: server.actorId, object: group.id, to: group.id });
        server.publish(follow);
        const fetchesBefore = server.documentFetches.length;
        const sent = await sendAndCheck(follow);
        // The target has to fetch our actor to check the signature (unless it cached the key).
        return [sent, ...server.documentFetches.slice(fetchesBefore).map((f) => `the target fetched ${f}`)].join('\n');
      },
    },
    {
      name: 'receive the Accept, HTTP Signature verified by Fedify',
      run: async () => {
        const followId = follow?.id;
        if (group === null || followId == null) throw new Error('no Follow');
        const groupId = group.id;
        const accept: Accept | null = await server.accepts.waitFor((a) => sameUrl(a.objectId, followId), input.acceptTimeoutMs);
        if (accept === null) {
          const seen = server.inboxDeliveries.all().map(describeDelivery);
          const errors = server.inboxErrors.map((e) => `inbox error: ${e}`);
          const others = server.accepts.size() > 0 ? [`${server.accepts.size()} Accept(s) of other objects arrived`] : [];
          const evidence = [...seen, ...errors, ...others].join('\n') || 'nothing was POSTed to our inboxes';
          throw new Error(`no verified Accept of ${followId.href} within ${input.acceptTimeoutMs / 1000} s\n${evidence}`);
        }
        if (!sameUrl(accept.actorId, groupId)) throw new Error(`the Accept's actor is ${accept.actorId?.href}, not the Group ${groupId?.href}`);
        // The listener runs inside Fedify's inbox handler; the POST is recorded once it answered.
        const delivery = await server.inboxDeliveries.waitFor((d) => d.activityId === accept.id?.href, 5000);
        if (delivery === null) throw new Error(`the Accept ${accept.id?.href} reached the listener, but its POST was not recorded`);
        if (!delivery.signed) throw new Error(`the Accept was accepted without an HTTP Signature: ${describeDelivery(delivery)}`);
        if (delivery.status < 200 || delivery.status > 299) throw new Error(describeDelivery(delivery));
        return `${accept.id?.href} by ${accept.actorId?.href} of ${followId.href}\n${describeDelivery(delivery)}`;
      },
    },
    {
      name: 'control: our inbox refuses an unsigned Accept',
      run: async () => {
        if (group === null || follow?.id == null) throw new Error('no Follow');
        // Proves the check above meant something: Fedify's inbox does verify signatures here.
        const before = server.accepts.size();
        const forged = { '@context': 'https://www.w3.org/ns/activitystreams', id: newId('forged').href, type: 'Accept', actor: group.id?.href, object: follow.id.href };
        const res = await fetch(new URL(`/users/${server.identifier}/inbox`, server.origin), {
          method: 'POST',
          headers: { 'content-type': 'application/activity+json' },
          body: JSON.stringify(forged),
        });
        if (res.status !== 401 || server.accepts.size() !== before) throw new Error(`an unsigned Accept got ${res.status}, listener calls ${before} -> ${server.accepts.size()}`);
        return 'unsigned Accept -> 401, never reached the listener (Fedify logs this refusal as an error on stderr: expected)';
      },
    },
    {
      name: 'send a signed Create(Note) to the Group (to: Group, cc: Public)',
      run: async () => {
        if (group === null) throw new Error('no Group');
        const noteId = newId('notes');
        note = new Note({
          id: noteId,
          attribution: server.actorId,
          to: group.id,
          cc: PUBLIC_COLLECTION,
          content: '<p>Day 1: ran 5 km. (Peerfed interop check)</p>',
        });
        server.publish(note);
        create = new Create({ id: newId('creates'), actor: server.actorId, object: note, to: group.id, cc: PUBLIC_COLLECTION });
        return sendAndCheck(create);
      },
    },
    {
      name: 'send a signed Like of that Note to the Group',
      run: async () => {
        if (group === null || note?.id == null) throw new Error('no Note');
        return sendAndCheck(new Like({ id: newId('likes'), actor: server.actorId, object: note.id, to: group.id }));
      },
    },
    {
      name: "receive the Group's Announce of our Create (FEP-1b12 group federation), HTTP Signature verified by Fedify",
      run: async () => {
        const createId = create?.id;
        if (group === null || createId == null) throw new Error('no Create');
        const groupId = group.id;
        const announce = await server.announces.waitFor((a) => sameUrl(a.objectId, createId), input.acceptTimeoutMs);
        if (announce === null) {
          const seen = server.inboxDeliveries.all().map(describeDelivery);
          throw new Error(`no verified Announce of ${createId.href} within ${input.acceptTimeoutMs / 1000} s\n${seen.join('\n') || 'nothing was POSTed to our inboxes'}`);
        }
        if (!sameUrl(announce.actorId, groupId)) throw new Error(`the Announce's actor is ${announce.actorId?.href}, not the Group ${groupId?.href}`);
        const delivery = await server.inboxDeliveries.waitFor((d) => d.activityId === announce.id?.href, 5000);
        if (delivery === null) throw new Error(`the Announce ${announce.id?.href} reached the listener, but its POST was not recorded`);
        if (!delivery.signed) throw new Error(`the Announce was accepted without an HTTP Signature: ${describeDelivery(delivery)}`);
        return `${announce.id?.href} by ${announce.actorId?.href} of ${createId.href}\n${describeDelivery(delivery)}`;
      },
    },
    {
      name: "the Group's followers collection counts us",
      run: async () => {
        if (group === null) throw new Error('no Group');
        const followers = await group.getFollowers({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
        if (followers === null) throw new Error(`no followers collection (${group.followersId?.href ?? 'none'})`);
        const total = followers.totalItems;
        if (total === null || total < 1) throw new Error(`${followers.id?.href} totalItems is ${total}`);
        const first = await followers.getFirst({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
        const listed = first === null ? [] : first.itemIds;
        const mentioned = listed.some((id) => id.href === server.actorId.href);
        return `${followers.id?.href}: totalItems ${total}${listed.length > 0 ? `, first page lists us: ${mentioned}` : ''}`;
      },
    },
    {
      name: 'send a signed Undo(Follow), so no follower of a stopped server is left behind',
      run: async () => {
        if (follow === null) throw new Error('no Follow');
        return sendAndCheck(new Undo({ id: newId('undos'), actor: server.actorId, object: follow, to: group?.id ?? null }));
      },
    },
  ];
}
