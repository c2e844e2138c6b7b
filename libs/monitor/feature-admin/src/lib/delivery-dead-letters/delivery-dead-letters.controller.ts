import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiGatewayTimeoutResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { Admin } from '../auth/admin.decorator';
import { type AdminPrincipal } from '../auth/admin-principal.types';
import { AdminController } from '../common/admin-api.decorator';
import { DeliveryDeadLetterMutationDto, DeliveryDeadLetterQueryDto } from './delivery-dead-letter.dto';
import { type DeliveryDeadLetterPage, DeliveryDeadLetterAdminService, type DeliveryMutationResult } from './delivery-dead-letter-admin.service';

/**
 * The delivery service's own dead letters (4xx, retries exhausted), held by delivery and reached
 * through its delivery.admin.v1 command stream. The transport's dead letters of any stream stay
 * under /dead-letters: the two have different identities and filters, hence separate endpoints.
 */
@AdminController('delivery/dead-letters', 'delivery dead letters')
@ApiGatewayTimeoutResponse({ description: 'The delivery service did not answer delivery.admin.v1 in time' })
@ApiServiceUnavailableResponse({ description: 'The command could not be written to Redis' })
@ApiBadGatewayResponse({ description: 'The delivery service answered with an error' })
export class DeliveryDeadLettersController {
  constructor(private readonly deadLetters: DeliveryDeadLetterAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Browse delivery\'s dead letters, filtered by host, activityId, activityType or failure; limit/offset paging (offset + limit <= 10000)' })
  browse(@Query() query: DeliveryDeadLetterQueryDto): Promise<DeliveryDeadLetterPage> {
    const { limit, offset, ...filter } = query;
    return this.deadLetters.browse(filter, limit, offset);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-queue delivery\'s dead letters with a fresh retry budget: ids and/or filters (e.g. one host), or all: true; audited' })
  replay(@Body() body: DeliveryDeadLetterMutationDto, @Admin() admin: AdminPrincipal): Promise<DeliveryMutationResult> {
    return this.deadLetters.replay(body, admin.actor);
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete delivery\'s dead letters: ids and/or filters, or all: true; audited' })
  purge(@Body() body: DeliveryDeadLetterMutationDto, @Admin() admin: AdminPrincipal): Promise<DeliveryMutationResult> {
    return this.deadLetters.purge(body, admin.actor);
  }
}
