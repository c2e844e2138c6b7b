import { Body, Controller, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ActorUrls, type LocalActorKind, LocalActorRepository } from '@peerfed/ingress/data-access';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { InboxService } from './inbox.service';

/** The shared inbox and the per-actor inboxes; every accepted activity is answered 202 with no body. */
@ApiExcludeController()
@Controller()
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly actors: LocalActorRepository,
    private readonly urls: ActorUrls,
  ) {}

  @Post('inbox')
  async shared(@Req() request: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.receive(request, body, this.urls.sharedInbox, reply);
  }

  @Post('users/:name/inbox')
  async user(@Param('name') name: string, @Req() request: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.receive(request, body, await this.actorInbox('user', name), reply);
  }

  @Post('groups/:name/inbox')
  async group(@Param('name') name: string, @Req() request: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.receive(request, body, await this.actorInbox('challenge', name), reply);
  }

  private async actorInbox(kind: LocalActorKind, name: string): Promise<string> {
    const actor = /^[a-z0-9_]{1,64}$/.test(name) ? await this.actors.findByRef(kind, name) : null;
    if (!actor) throw new NotFoundException(`no ${kind === 'user' ? 'user' : 'challenge'} named ${name}`);
    return this.urls.inbox(this.urls.actor(actor));
  }

  private async receive(request: FastifyRequest, body: unknown, inbox: string, reply: FastifyReply): Promise<void> {
    await this.inbox.receive({ method: request.method, url: request.url, headers: request.headers, body, inbox });
    await reply.status(202).send();
  }
}
