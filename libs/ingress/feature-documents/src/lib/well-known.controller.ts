import { BadRequestException, Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ActorUrls, IngressSettings, type LocalActorEntity, LocalActorRepository } from '@peerfed/ingress/data-access';
import { ACTIVITY_JSON } from '@peerfed/shared/activitypub';
import { type FastifyReply } from 'fastify';
import { sendJson } from './document-reply.util';
import { UsageStatsService } from './usage-stats.service';

const NODEINFO_VERSIONS = ['2.0', '2.1'] as const;
const ACCT = /^acct:([^@\s]+)@([^@\s]+)$/i;

/** WebFinger (RFC 7033), host-meta (RFC 6415) and NodeInfo 2.0 / 2.1. */
@ApiExcludeController()
@Controller()
export class WellKnownController {
  constructor(
    private readonly urls: ActorUrls,
    private readonly actors: LocalActorRepository,
    private readonly settings: IngressSettings,
    private readonly usage: UsageStatsService,
  ) {}

  /** `resource` is `acct:name@host` or an actor URL of this instance. */
  @Get('.well-known/webfinger')
  async webfinger(@Query('resource') resource: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    // Browser-based clients look accounts up cross-origin: errors carry the header too.
    void reply.header('access-control-allow-origin', '*');
    if (typeof resource !== 'string' || resource.trim() === '') throw new BadRequestException('the resource query parameter is required');
    const username = this.usernameOf(resource.trim());
    const actor = await this.actors.findByUsername(username);
    if (!actor) throw new NotFoundException(`no actor ${resource} on this instance`);
    await sendJson(reply, this.jrd(actor), 'application/jrd+json; charset=utf-8');
  }

  @Get('.well-known/host-meta')
  @Header('content-type', 'application/xrd+xml; charset=utf-8')
  @Header('access-control-allow-origin', '*')
  hostMeta(): string {
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">',
      `  <Link rel="lrdd" template="${this.urls.origin}/.well-known/webfinger?resource={uri}"/>`,
      '</XRD>',
      '',
    ].join('\n');
  }

  @Get('.well-known/nodeinfo')
  nodeinfoLinks(@Res() reply: FastifyReply): void {
    const links = NODEINFO_VERSIONS.map((version) => ({
      rel: `http://nodeinfo.diaspora.software/ns/schema/${version}`,
      href: `${this.urls.origin}/nodeinfo/${version}`,
    }));
    void sendJson(reply, { links }, 'application/json; charset=utf-8');
  }

  @Get('nodeinfo/:version')
  async nodeinfo(@Param('version') version: string, @Res() reply: FastifyReply): Promise<void> {
    if (version !== '2.0' && version !== '2.1') throw new NotFoundException(`NodeInfo ${version} is not served; use 2.0 or 2.1`);
    const usage = await this.usage.current();
    const { name, version: softwareVersion, repository, homepage } = this.settings.software;
    const document = {
      version,
      software: { name, version: softwareVersion, ...(version === '2.1' && { repository, homepage }) },
      protocols: ['activitypub'],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: { total: usage.users }, localPosts: usage.localPosts },
      metadata: { nodeName: this.urls.host },
    };
    const profile = `http://nodeinfo.diaspora.software/ns/schema/${version}#`;
    await sendJson(reply, document, `application/json; profile="${profile}"; charset=utf-8`);
  }

  private usernameOf(resource: string): string {
    const acct = ACCT.exec(resource);
    if (acct) {
      const [, name, host] = acct as unknown as [string, string, string];
      if (host.toLowerCase() !== this.urls.host.toLowerCase()) throw new NotFoundException(`${host} is not this instance (${this.urls.host})`);
      return name.toLowerCase();
    }
    if (/^https?:\/\//i.test(resource)) {
      const ref = this.urls.parseActor(resource);
      if (!ref) throw new NotFoundException(`${resource} is not an actor of this instance`);
      return ref.username;
    }
    throw new BadRequestException('resource must be acct:user@host or an actor URL');
  }

  private jrd(actor: LocalActorEntity): Record<string, unknown> {
    const id = this.urls.actor(actor);
    return {
      subject: `acct:${actor.username}@${this.urls.host}`,
      aliases: [id],
      links: [
        { rel: 'self', type: ACTIVITY_JSON, href: id },
        { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: id },
      ],
    };
  }
}
