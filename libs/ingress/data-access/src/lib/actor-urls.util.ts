import { type LocalActorKind } from './local-actor.entity';

export interface LocalActorRef {
  readonly kind: LocalActorKind;
  readonly username: string;
}

const SEGMENT: Readonly<Record<LocalActorKind, string>> = { user: 'users', challenge: 'groups' };

/**
 * The URL scheme of everything this instance serves, derived from PUBLIC_URL: users at
 * /users/<name>, challenge Groups at /groups/<name>, objects at /objects/<uuid>, the instance
 * actor at /actor and the shared inbox at /inbox. One place, so documents and routes agree.
 */
export class ActorUrls {
  readonly origin: string;
  readonly host: string;

  constructor(publicUrl: string) {
    const url = new URL(publicUrl);
    this.origin = url.origin;
    this.host = url.host;
  }

  actor(ref: LocalActorRef): string {
    return `${this.origin}/${SEGMENT[ref.kind]}/${ref.username}`;
  }

  keyId(actorId: string): string {
    return `${actorId}#main-key`;
  }

  inbox(actorId: string): string {
    return `${actorId}/inbox`;
  }

  outbox(actorId: string): string {
    return `${actorId}/outbox`;
  }

  followers(actorId: string): string {
    return `${actorId}/followers`;
  }

  following(actorId: string): string {
    return `${actorId}/following`;
  }

  /** Lemmy reads a Group's moderators from the collection its `attributedTo` names. */
  moderators(actorId: string): string {
    return `${actorId}/moderators`;
  }

  get sharedInbox(): string {
    return `${this.origin}/inbox`;
  }

  /** The Application actor that signs our fetches (authorized-fetch servers require a signature). */
  get instanceActor(): string {
    return `${this.origin}/actor`;
  }

  object(uuid: string): string {
    return `${this.origin}/objects/${uuid}`;
  }

  /** Which local actor a URL names (its document, or its #main-key), if any. */
  parseActor(url: string): LocalActorRef | undefined {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    if (parsed.origin !== this.origin) return undefined;
    const match = /^\/(users|groups)\/([a-z0-9_]{1,64})$/.exec(parsed.pathname);
    if (!match) return undefined;
    return { kind: match[1] === 'users' ? 'user' : 'challenge', username: match[2] as string };
  }

  /** True when the URL is served by this instance. */
  isLocal(url: string): boolean {
    return URL.canParse(url) && new URL(url).origin === this.origin;
  }
}
