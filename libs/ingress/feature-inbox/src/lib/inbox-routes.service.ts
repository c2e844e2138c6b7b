import { Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ActorUrls, type LocalActorKind, LocalActorRepository } from '@peerfed/ingress/data-access';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { InboxService } from './inbox.service';

const ACTOR_NAME = /^[a-z0-9_]{1,64}$/;

type NamedInboxRequest = FastifyRequest<{ Params: { name: string } }>;

/**
 * The shared inbox and the per-actor inboxes, registered on Fastify directly rather than as a
 * Nest controller: the inbox is the one hot endpoint, and Nest's per-request route machinery
 * (execution context, param decorators, pipes, interceptor chain, its own exception zone) is
 * work it never needs: it takes raw bytes and answers 202 with no body. Everything else stays
 * the same: the Fastify hooks (request id, access log, metrics) run as for any route, and a
 * thrown exception reaches Nest's exception layer through Fastify's error handler, so
 * HttpErrorFilter renders it like every other error.
 */
@Injectable()
export class InboxRoutesService implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly inbox: InboxService,
    private readonly actors: LocalActorRepository,
    private readonly urls: ActorUrls,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.post('/inbox', (request, reply) => this.receive(request, reply, this.urls.sharedInbox));
    fastify.post('/users/:name/inbox', async (request: NamedInboxRequest, reply) => this.receive(request, reply, await this.actorInbox('user', request.params.name)));
    fastify.post('/groups/:name/inbox', async (request: NamedInboxRequest, reply) =>
      this.receive(request, reply, await this.actorInbox('challenge', request.params.name)),
    );
  }

  private async actorInbox(kind: LocalActorKind, name: string): Promise<string> {
    const actor = ACTOR_NAME.test(name) ? await this.actors.findByRef(kind, name) : null;
    if (!actor) throw new NotFoundException(`no ${kind === 'user' ? 'user' : 'challenge'} named ${name}`);
    return this.urls.inbox(this.urls.actor(actor));
  }

  private async receive(request: FastifyRequest, reply: FastifyReply, inbox: string): Promise<FastifyReply> {
    await this.inbox.receive({ method: request.method, url: request.url, headers: request.headers, body: request.body, inbox });
    return reply.status(202).send();
  }
}
