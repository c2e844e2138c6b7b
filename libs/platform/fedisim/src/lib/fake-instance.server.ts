import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { keyBelongsTo, parseActivity, type ParsedActivity } from './activity.util';
import { BehaviourPlan, type LeafBehaviour } from './behaviour-plan.util';
import { formatRetryAfter } from './behaviour.util';
import { BodyTooLargeException } from './body-too-large.exception';
import { type DeliveryLog } from './delivery-log.service';
import { type Behaviour, type HttpResult, type InstanceStats, type Outcome, type SignatureScheme, type SignOptions } from './fedisim.types';
import { type LazyKeyPair } from './lazy-key-pair.util';
import { readBody } from './request-body.util';
import { signRequest } from './request-signer.util';
import { type SignatureVerifier } from './signature-verifier.service';
import { SimActor } from './sim-actor.util';
import { type SimHttpClient } from './sim-http.client';

const ACTIVITY_JSON = 'application/activity+json; charset=utf-8';

/** What every instance of one simulated fediverse shares. */
export interface InstanceContext {
  readonly log: DeliveryLog;
  readonly verifier: SignatureVerifier;
  readonly client: SimHttpClient;
  readonly maxBodyBytes: number;
  readonly sharedInbox: boolean;
  readonly requestTimeoutMs: number;
  readonly behaviour: Behaviour;
  /** The key pair holder for a new actor (its own, or the shared one). */
  readonly keyPairFor: () => LazyKeyPair;
}

export interface InboxScope {
  /** `shared`, an inbox path (`/users/user0/inbox`) or an inbox URL. */
  readonly inbox?: string;
}

function outcomeOf(behaviour: LeafBehaviour): Outcome {
  switch (behaviour.kind) {
    case 'ok':
    case 'slow':
      return 202;
    case 'fail':
      return behaviour.status;
    case 'rateLimited':
      return 429;
    case 'serviceUnavailable':
      return 503;
    case 'gone':
      return 410;
    case 'reset':
      return 'reset';
    case 'hang':
      return 'hang';
  }
}

function listen(server: Server): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * One fake remote instance on its own loopback port: WebFinger, NodeInfo, actor documents and
 * inboxes (per actor and shared). Inbox POSTs are verified, recorded in the shared log, and then
 * answered according to the behaviour of the inbox (or of the instance).
 */
export class FakeInstance {
  readonly name: string;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly sharedInboxUrl: string | undefined;
  readonly actors: readonly SimActor[];
  /** The instance's own Application actor, which signs key fetches. */
  readonly instanceActor: SimActor;

  private defaultPlan: BehaviourPlan;
  private readonly inboxPlans = new Map<string, BehaviourPlan>();
  private acceptedSchemes: ReadonlySet<SignatureScheme> = new Set<SignatureScheme>(['draft-cavage', 'rfc9421']);
  private readonly actorsByName: ReadonlyMap<string, SimActor>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly index: number,
    private readonly server: Server,
    port: number,
    usernames: readonly string[],
    private readonly context: InstanceContext,
  ) {
    this.name = `sim${index}`;
    this.host = `127.0.0.1:${port}`;
    this.baseUrl = `http://${this.host}`;
    this.sharedInboxUrl = context.sharedInbox ? `${this.baseUrl}/inbox` : undefined;
    this.actors = usernames.map((username) => new SimActor(username, 'Person', this.baseUrl, context.keyPairFor(), this.sharedInboxUrl));
    this.instanceActor = new SimActor(this.host, 'Application', this.baseUrl, context.keyPairFor(), this.sharedInboxUrl);
    this.actorsByName = new Map(this.actors.map((actor) => [actor.username, actor]));
    this.defaultPlan = new BehaviourPlan(context.behaviour);
  }

  /** Starts an instance on a free loopback port. */
  static async start(index: number, usernames: readonly string[], context: InstanceContext): Promise<FakeInstance> {
    // Keep-alive connections stay open longer than common clients' idle timeouts (undici: 4 s).
    const server = createServer();
    server.keepAliveTimeout = 10_000;
    const port = await listen(server);
    const instance = new FakeInstance(index, server, port, usernames, context);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => instance.handle(req, res));
    return instance;
  }

  /** The actor with this username; throws for an unknown one. */
  actor(username: string): SimActor {
    const actor = this.actorsByName.get(username);
    if (!actor) throw new Error(`${this.name} has no user "${username}"`);
    return actor;
  }

  /** Sets the behaviour of the whole instance, or of one inbox (which then overrides it). */
  setBehaviour(behaviour: Behaviour, scope: InboxScope = {}): void {
    const plan = new BehaviourPlan(behaviour);
    if (scope.inbox === undefined) this.defaultPlan = plan;
    else this.inboxPlans.set(this.inboxPath(scope.inbox), plan);
  }

  /**
   * The signature schemes this instance's inboxes accept (default both). A request signed with
   * another one is refused with 401, as an older server that knows only draft-cavage does.
   */
  acceptSchemes(schemes: readonly SignatureScheme[]): void {
    if (schemes.length === 0) throw new Error('acceptSchemes: accept at least one scheme');
    this.acceptedSchemes = new Set(schemes);
  }

  /** Back to the starting behaviour everywhere (restarting sequences). */
  resetBehaviours(): void {
    this.inboxPlans.clear();
    this.defaultPlan = new BehaviourPlan(this.context.behaviour);
  }

  stats(): InstanceStats {
    return this.context.log.stats(this.name);
  }

  /** POSTs an activity signed as `actor` (default: the first user), as a remote server would. */
  async signedPost(url: string | URL, activity: unknown, actor?: SimActor, options: SignOptions = {}): Promise<HttpResult> {
    const target = new URL(url);
    const signer = actor ?? this.defaultSigner();
    const body = Buffer.from(JSON.stringify(activity));
    const headers = await signRequest(
      { method: 'POST', url: target, body, headers: { 'content-type': 'application/activity+json', ...options.headers } },
      { keyId: signer.keyId, privateKeyPem: (await signer.keyPair()).privateKeyPem },
      { scheme: options.scheme, date: options.date },
    );
    return this.context.client.request({ method: 'POST', url: target, headers, body, timeoutMs: options.timeoutMs ?? this.context.requestTimeoutMs });
  }

  /** GETs a document with a signed request (authorized fetch), as a remote server would. */
  async signedGet(url: string | URL, actor?: SimActor, options: SignOptions = {}): Promise<HttpResult> {
    const target = new URL(url);
    const signer = actor ?? this.defaultSigner();
    const headers = await signRequest(
      { method: 'GET', url: target, headers: { accept: 'application/activity+json', ...options.headers } },
      { keyId: signer.keyId, privateKeyPem: (await signer.keyPair()).privateKeyPem },
      { scheme: options.scheme, date: options.date },
    );
    return this.context.client.request({ method: 'GET', url: target, headers, timeoutMs: options.timeoutMs ?? this.context.requestTimeoutMs });
  }

  /** Closes the port and every connection (hanging and slow requests included). */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  private defaultSigner(): SimActor {
    return this.actors[0] ?? this.instanceActor;
  }

  private inboxPath(inbox: string): string {
    const path = inbox === 'shared' ? '/inbox' : inbox.startsWith('/') ? inbox : new URL(inbox).pathname;
    if (!this.inboxTarget(path)) throw new Error(`${this.name} has no inbox ${inbox}`);
    return path;
  }

  /** Whether a path is one of this instance's inboxes, and whether it is the shared one. */
  private inboxTarget(path: string): { shared: boolean } | undefined {
    if (path === '/inbox') return this.context.sharedInbox ? { shared: true } : undefined;
    if (path === '/actor/inbox') return { shared: false };
    const match = /^\/users\/([^/]+)\/inbox$/.exec(path);
    return match && this.actorsByName.has(decodeURIComponent(match[1])) ? { shared: false } : undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) this.sendJson(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (req.method === 'POST') {
      const target = this.inboxTarget(path);
      if (target) return this.handleInbox(req, res, path, target.shared);
      req.resume();
      return this.sendJson(res, 404, { error: 'not found' });
    }
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD, POST' });
    this.context.log.countDocumentGet(this.name);
    return this.handleGet(url, path, res);
  }

  private async handleGet(url: URL, path: string, res: ServerResponse): Promise<void> {
    if (path === '/.well-known/webfinger') return this.webfinger(url, res);
    if (path === '/.well-known/nodeinfo') {
      return this.sendJson(res, 200, { links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.1', href: `${this.baseUrl}/nodeinfo/2.1` }] });
    }
    if (path === '/nodeinfo/2.1') return this.sendJson(res, 200, this.nodeinfo());
    if (path === '/actor') return this.sendJson(res, 200, await this.instanceActor.document(), {}, ACTIVITY_JSON);
    const match = /^\/users\/([^/]+)(?:\/(outbox|followers|following))?$/.exec(path);
    const actor = match ? this.actorsByName.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !actor) return this.sendJson(res, 404, { error: 'not found' });
    if (match[2] === undefined) return this.sendJson(res, 200, await actor.document(), {}, ACTIVITY_JSON);
    const collection = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/${match[2]}`, type: 'OrderedCollection', totalItems: 0, orderedItems: [] };
    return this.sendJson(res, 200, collection, {}, ACTIVITY_JSON);
  }

  private webfinger(url: URL, res: ServerResponse): void {
    const resource = url.searchParams.get('resource');
    if (!resource) return this.sendJson(res, 400, { error: 'resource parameter is required' });
    const acct = /^acct:([^@]+)@(.+)$/i.exec(resource);
    const actor = acct
      ? acct[2].toLowerCase() === this.host ? this.actorsByName.get(acct[1]) : undefined
      : this.actors.find((candidate) => candidate.id === resource);
    if (!actor) return this.sendJson(res, 404, { error: `no such account: ${resource}` });
    this.sendJson(
      res,
      200,
      {
        subject: `acct:${actor.acct}`,
        aliases: [actor.id],
        links: [{ rel: 'self', type: 'application/activity+json', href: actor.id }],
      },
      {},
      'application/jrd+json; charset=utf-8',
    );
  }

  private nodeinfo(): Record<string, unknown> {
    return {
      version: '2.1',
      software: { name: 'fedisim', version: '1.0.0' },
      protocols: ['activitypub'],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: { total: this.actors.length }, localPosts: 0 },
      metadata: {},
    };
  }

  private async handleInbox(req: IncomingMessage, res: ServerResponse, inbox: string, shared: boolean): Promise<void> {
    const { log, verifier, maxBodyBytes } = this.context;
    log.enter(this.name);
    res.once('close', () => log.leave(this.name));
    const where = { instance: this.name, host: this.host, inbox };
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeException)) throw error;
      log.recordRejection({ ...where, kind: 'too-large', keyId: undefined, reason: error.message });
      return this.sendJson(res, 413, { error: error.message }, { connection: 'close' });
    }
    const verdict = await verifier.verify(req, body, this.instanceActor);
    if (!verdict.ok || !this.acceptedSchemes.has(verdict.scheme)) {
      const reason = verdict.ok ? `${verdict.scheme} signatures are not accepted here` : verdict.reason;
      log.recordRejection({ ...where, kind: 'signature', keyId: verdict.keyId, reason });
      return this.sendJson(res, 401, { error: 'signature verification failed', reason });
    }
    let parsed: ParsedActivity;
    try {
      parsed = parseActivity(body);
    } catch (error) {
      log.recordRejection({ ...where, kind: 'malformed', keyId: verdict.keyId, reason: (error as Error).message });
      return this.sendJson(res, 400, { error: (error as Error).message });
    }
    const behaviour = (this.inboxPlans.get(inbox) ?? this.defaultPlan).next();
    const record = log.recordDelivery({
      ...where,
      sharedInbox: shared,
      activityId: parsed.id,
      type: parsed.type,
      objectId: parsed.objectId,
      actor: parsed.actor,
      keyId: verdict.keyId,
      actorMatchesKey: keyBelongsTo(verdict.keyId, parsed.actor),
      scheme: verdict.scheme,
      outcome: outcomeOf(behaviour),
      activity: parsed.activity,
    });
    this.answer(behaviour, req, res, () => log.abandon(record));
  }

  private answer(behaviour: LeafBehaviour, req: IncomingMessage, res: ServerResponse, onAbandoned: () => void): void {
    if (res.destroyed && behaviour.kind !== 'reset' && behaviour.kind !== 'hang') {
      // The client left while the request was being verified: nobody receives this answer.
      onAbandoned();
      return;
    }
    switch (behaviour.kind) {
      case 'ok':
        return this.sendEmpty(res, 202);
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.sendEmpty(res, 202);
        }, behaviour.delayMs);
        this.timers.add(timer);
        res.once('close', () => {
          if (this.timers.delete(timer)) {
            clearTimeout(timer);
            onAbandoned();
          }
        });
        return;
      }
      case 'fail':
        return this.sendJson(res, behaviour.status, { error: STATUS_CODES[behaviour.status] ?? 'error' });
      case 'rateLimited':
        return this.sendJson(res, 429, { error: 'Too Many Requests' }, { 'retry-after': formatRetryAfter(behaviour.retryAfter) });
      case 'serviceUnavailable':
        return this.sendJson(
          res,
          503,
          { error: 'Service Unavailable' },
          behaviour.retryAfter === undefined ? {} : { 'retry-after': formatRetryAfter(behaviour.retryAfter) },
        );
      case 'gone':
        return this.sendJson(res, 410, { error: 'Gone' });
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        // Left unanswered on purpose; stop() closes the connection.
        return;
    }
  }

  private sendEmpty(res: ServerResponse, status: number): void {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, { 'content-length': '0' });
    res.end();
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
    contentType = 'application/json; charset=utf-8',
  ): void {
    if (res.destroyed || res.headersSent) return;
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(payload.length) });
    res.end(res.req.method === 'HEAD' ? undefined : payload);
  }
}
