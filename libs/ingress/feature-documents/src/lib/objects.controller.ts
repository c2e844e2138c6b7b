import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ActorUrls, ObjectRepository } from '@peerfed/ingress/data-access';
import { AS_CONTEXT } from '@peerfed/shared/activitypub';
import { type FastifyReply } from 'fastify';
import { sendActivityJson, sendHtml, wantsHtml } from './document-reply.util';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Local objects (/objects/:uuid): the stored document, or a Tombstone with 410 once deleted. */
@ApiExcludeController()
@Controller('objects')
export class ObjectsController {
  constructor(
    private readonly objects: ObjectRepository,
    private readonly urls: ActorUrls,
  ) {}

  @Get(':uuid')
  async object(@Param('uuid') uuid: string, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const object = UUID.test(uuid) ? await this.objects.find(this.urls.object(uuid)) : null;
    if (!object?.local) throw new NotFoundException(`no object ${uuid}`);
    if (object.deletedAt) {
      const tombstone = { '@context': AS_CONTEXT, id: object.objectId, type: 'Tombstone', formerType: object.type, deleted: object.deletedAt.toISOString() };
      await sendActivityJson(reply, tombstone, 410);
      return;
    }
    if (wantsHtml(accept)) {
      await sendHtml(reply, object.name ?? `${object.type} by ${object.attributedTo}`, [object.content ?? '']);
      return;
    }
    await sendActivityJson(reply, object.document);
  }
}
