// The foreign server the probe plays: a Fedify federation with one Person, served by node:http
// on 127.0.0.1. Fedify does all the ActivityPub work (actor document, key, signing, and the
// inbox's signature verification); this file only wires it and records what arrived.
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  Accept,
  Announce,
  type Context,
  createFederation,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  MemoryKvStore,
  Note,
  Person,
} from '@fedify/fedify';
import { ArrivalLog } from './arrival-log.mjs';
import { sendFetchResponse, toFetchRequest } from './node-fetch-adapter.mjs';

/** One POST to the probe's inboxes and what Fedify answered. */
export interface InboxDelivery {
  readonly path: string;
  /** The `id` of the POSTed activity, if it had one. */
  readonly activityId: string | null;
  /** Carried an HTTP Signature header (draft-cavage `Signature` or RFC 9421 `Signature-Input`). */
  readonly signed: boolean;
  /** Carried a Linked Data signature or an integrity proof, which Fedify would check instead. */
  readonly bodySigned: boolean;
  readonly status: number;
  readonly answer: string;
}

export interface ForeignServer {
  readonly origin: URL;
  readonly identifier: string;
  readonly actorId: URL;
  readonly context: Context<void>;
  /** Accepts that reached an inbox listener, so whose HTTP Signature Fedify verified. */
  readonly accepts: ArrivalLog<Accept>;
  /** Announces that reached an inbox listener (a Group passing on what its members did), verified likewise. */
  readonly announces: ArrivalLog<Announce>;
  /** Every POST to our inboxes, recorded once Fedify has answered it. */
  readonly inboxDeliveries: ArrivalLog<InboxDelivery>;
  /** GETs the target made to us (our actor, key, objects): path, signed or not, status. */
  readonly documentFetches: string[];
  /** Errors Fedify reported from its inbox (parse failures, listener errors). */
  readonly inboxErrors: string[];
  /** Makes an object dereferenceable at its id (Notes and Follows we send). */
  publish(object: Note | Follow): void;
  close(): Promise<void>;
}

function describeBody(body: string): { activityId: string | null; bodySigned: boolean } {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) return { activityId: null, bodySigned: false };
    const id = 'id' in json && typeof json.id === 'string' ? json.id : null;
    return { activityId: id, bodySigned: 'signature' in json || 'proof' in json };
  } catch {
    return { activityId: null, bodySigned: false };
  }
}

export async function startForeignServer(identifier: string): Promise<ForeignServer> {
  // As Fedify servers usually are: RSA (#main-key) for HTTP and LD signatures, Ed25519 (#key-2)
  // for Object Integrity Proofs, so what we send carries all three, as theirs does.
  const keyPairs = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  const accepts = new ArrivalLog<Accept>();
  const announces = new ArrivalLog<Announce>();
  const inboxDeliveries = new ArrivalLog<InboxDelivery>();
  const inboxErrors: string[] = [];
  const documentFetches: string[] = [];
  const published = new Map<string, Note | Follow>();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    origin: origin.origin,
    // Loopback dev setup: the target and the probe both live on this machine.
    allowPrivateAddress: true,
    // Stated, not defaulted: the Accept must pass Fedify's own HTTP Signature check.
    skipSignatureVerification: false,
  });

  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, id) => {
      if (id !== identifier) return null;
      const keys = await ctx.getActorKeyPairs(id);
      return new Person({
        id: ctx.getActorUri(id),
        preferredUsername: id,
        name: 'Peerfed interop probe (Fedify)',
        summary: 'An independent ActivityPub server used to check Peerfed from outside.',
        inbox: ctx.getInboxUri(id),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((k) => k.multikey),
        manuallyApprovesFollowers: false,
      });
    })
    .setKeyPairsDispatcher((_ctx, id) => (id === identifier ? keyPairs : []));

  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, (_ctx, accept) => {
      accepts.add(accept);
    })
    .on(Announce, (_ctx, announce) => {
      announces.add(announce);
    })
    .onError((_ctx, error) => {
      inboxErrors.push(String(error));
    });

  federation.setObjectDispatcher(Note, '/notes/{id}', (ctx, values) => {
    const note = published.get(ctx.getObjectUri(Note, values).href);
    return note instanceof Note ? note : null;
  });
  federation.setObjectDispatcher(Follow, '/follows/{id}', (ctx, values) => {
    const follow = published.get(ctx.getObjectUri(Follow, values).href);
    return follow instanceof Follow ? follow : null;
  });

  server.on('request', (req, res) => {
    void (async () => {
      const request = toFetchRequest(req, origin);
      const signed = request.headers.has('signature') || request.headers.has('signature-input');
      try {
        const body = request.method === 'POST' ? describeBody(await request.clone().text()) : null;
        const response = await federation.fetch(request, { contextData: undefined });
        const answer = response.ok ? '' : (await response.clone().text()).slice(0, 300);
        await sendFetchResponse(response, res);
        if (request.method === 'GET') documentFetches.push(`GET ${new URL(request.url).pathname} ${signed ? 'signed' : 'unsigned'} (${request.headers.get('user-agent') ?? 'no User-Agent'}) -> ${response.status}`);
        if (body !== null) inboxDeliveries.add({ path: new URL(request.url).pathname, ...body, signed, status: response.status, answer });
      } catch (error) {
        inboxErrors.push(String(error));
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      }
    })();
  });

  const context = federation.createContext(origin, undefined);
  return {
    origin,
    identifier,
    actorId: context.getActorUri(identifier),
    context,
    accepts,
    announces,
    inboxDeliveries,
    inboxErrors,
    documentFetches,
    publish: (object) => {
      if (object.id !== null) published.set(object.id.href, object);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
