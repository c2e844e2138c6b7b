import { Controller, Get, Headers, NotFoundException, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type LocalActorKind } from '@peerfed/ingress/data-access';
import { type FastifyReply } from 'fastify';
import { ActorDocumentBuilder } from './actor-document.builder';
import { ActorDocumentsService } from './actor-documents.service';
import { sendActivityJson, sendHtml, wantsHtml } from './document-reply.util';
import { parsePage } from './ordered-collection.util';
import { RateLimited, RateLimitGuard } from './rate-limit.guard';

type Collection = 'followers' | 'following' | 'outbox' | 'moderators';

/** Actor documents (/users/:name Person, /groups/:name Group, /actor Application) and their collections. */
@ApiExcludeController()
@UseGuards(RateLimitGuard)
@Controller()
export class ActorsController {
  constructor(
    private readonly documents: ActorDocumentsService,
    private readonly builder: ActorDocumentBuilder,
  ) {}

  @Get('users/:name')
  @RateLimited('actor')
  user(@Param('name') name: string, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.actor('user', name, accept, reply);
  }

  @Get('groups/:name')
  @RateLimited('actor')
  group(@Param('name') name: string, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.actor('challenge', name, accept, reply);
  }

  @Get('actor')
  @RateLimited('actor')
  instance(@Res() reply: FastifyReply): void {
    void sendActivityJson(reply, this.builder.instance());
  }

  @Get('users/:name/outbox')
  @RateLimited('outbox')
  userOutbox(@Param('name') name: string, @Query('page') page: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.collection('user', name, 'outbox', page, reply);
  }

  @Get('groups/:name/outbox')
  @RateLimited('outbox')
  groupOutbox(@Param('name') name: string, @Query('page') page: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.collection('challenge', name, 'outbox', page, reply);
  }

  @Get('users/:name/:collection')
  userCollection(
    @Param('name') name: string,
    @Param('collection') collection: string,
    @Query('page') page: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.collection('user', name, collection, page, reply);
  }

  @Get('groups/:name/:collection')
  groupCollection(
    @Param('name') name: string,
    @Param('collection') collection: string,
    @Query('page') page: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.collection('challenge', name, collection, page, reply);
  }

  private async actor(kind: LocalActorKind, name: string, accept: string | undefined, reply: FastifyReply): Promise<void> {
    const actor = await this.documents.find(kind, name);
    if (wantsHtml(accept)) {
      await sendHtml(reply, actor.name, [`@${actor.username}`, actor.summary, 'Follow this actor from any ActivityPub server.']);
      return;
    }
    await sendActivityJson(reply, await this.documents.document(actor));
  }

  private async collection(kind: LocalActorKind, name: string, collection: string, rawPage: string | undefined, reply: FastifyReply): Promise<void> {
    if (!isCollection(collection, kind)) throw new NotFoundException(`no collection ${collection}`);
    const page = parsePage(rawPage);
    const actor = await this.documents.find(kind, name);
    const document = await this.load(collection, actor, page);
    await sendActivityJson(reply, document);
  }

  private load(
    collection: Collection,
    actor: Awaited<ReturnType<ActorDocumentsService['find']>>,
    page: number | undefined,
  ): Promise<Record<string, unknown>> | Record<string, unknown> {
    switch (collection) {
      case 'followers':
        return this.documents.followersCollection(actor, page);
      case 'following':
        return this.documents.followingCollection(actor, page);
      case 'outbox':
        return this.documents.outboxCollection(actor, page);
      case 'moderators':
        return this.documents.moderators(actor);
    }
  }
}

function isCollection(name: string, kind: LocalActorKind): name is Collection {
  return name === 'followers' || name === 'following' || name === 'outbox' || (name === 'moderators' && kind === 'challenge');
}
