import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository, MONITOR_CLOCK, type MonitorClock } from '@peerfed/monitor/data-access';
import { type DeliveryAdminCommandPayload, type DeliveryAdminReply, DeliveryAdminV1 } from '@peerfed/shared/contracts';
import { DeliveryAdminClient } from './delivery-admin.client';
import { DELIVERY_LIST_MAX, type DeliveryDeadLetterFilterDto, type DeliveryDeadLetterMutationDto } from './delivery-dead-letter.dto';

export type DeliveryDeadLetterItem = NonNullable<DeliveryAdminReply['items']>[number];

export interface DeliveryDeadLetterPage {
  readonly items: DeliveryDeadLetterItem[];
  readonly limit: number;
  readonly offset: number;
  /** Offset of the next page; null when delivery had no more (or the 10 000 cap is reached). */
  readonly nextOffset: number | null;
}

export interface DeliveryMutationResult {
  readonly matched: number;
  readonly affected: number;
}

type Selection = Pick<DeliveryAdminCommandPayload, 'ids' | 'host' | 'activityId' | 'activityType' | 'reason' | 'all'>;

/** Delivery's own dead letters (permanent failures), browsed and changed through delivery.admin.v1. */
@Injectable()
export class DeliveryDeadLetterAdminService {
  constructor(
    private readonly delivery: DeliveryAdminClient,
    private readonly audit: AuditLogRepository,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  /** Delivery's list has a limit but no offset: this asks for offset + limit and keeps the tail. */
  async browse(filter: DeliveryDeadLetterFilterDto, limit: number, offset: number): Promise<DeliveryDeadLetterPage> {
    const wanted = Math.min(offset + limit, DELIVERY_LIST_MAX);
    const narrowed = filterOf(filter);
    const selection = Object.keys(narrowed).length > 0 ? narrowed : { all: true };
    const reply = await this.delivery.send({ action: 'list', ...selection, limit: wanted });
    const items = (reply.items ?? []).slice(offset, offset + limit);
    const more = reply.matched >= wanted && wanted < DELIVERY_LIST_MAX && items.length > 0;
    return { items, limit, offset, nextOffset: more ? offset + items.length : null };
  }

  replay(body: DeliveryDeadLetterMutationDto, actor: string): Promise<DeliveryMutationResult> {
    return this.mutate('replay', body, actor);
  }

  purge(body: DeliveryDeadLetterMutationDto, actor: string): Promise<DeliveryMutationResult> {
    return this.mutate('purge', body, actor);
  }

  /** Sends the command, then audits who, why, what and the result (also when delivery did not answer: it may still act). */
  private async mutate(action: 'replay' | 'purge', body: DeliveryDeadLetterMutationDto, actor: string): Promise<DeliveryMutationResult> {
    const selection = selectionOf(body);
    const record = (details: Record<string, unknown>): Promise<unknown> =>
      this.audit.appendNow({
        actor, action: `delivery-dead-letters.${action}`, target: DeliveryAdminV1.stream, reason: body.reason, at: this.clock.now(),
        details: { selection, ...details },
      });
    let reply: DeliveryAdminReply;
    try {
      reply = await this.delivery.send({ action, ...selection });
    } catch (error) {
      await record({ error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    await record({ matched: reply.matched, affected: reply.affected });
    return { matched: reply.matched, affected: reply.affected };
  }
}

/**
 * The command's selection. Refuses an empty one (delivery would too, less clearly) and all: true
 * mixed with ids or filters (ambiguous).
 */
function selectionOf(input: DeliveryDeadLetterMutationDto): Selection {
  const selection: Selection = { ...(input.ids ? { ids: input.ids } : {}), ...filterOf(input) };
  const narrowed = Object.keys(selection).length > 0;
  if (input.all === true) {
    if (narrowed) throw new BadRequestException('all: true cannot be combined with ids, host, activityId, activityType or failure');
    return { all: true };
  }
  if (!narrowed) throw new BadRequestException('Give ids, a filter (host, activityId, activityType, failure) or all: true');
  return selection;
}

/** The filters that were given, in the command's terms (the API's `failure` is the command's `reason`). */
function filterOf(input: DeliveryDeadLetterFilterDto): Selection {
  return {
    ...(input.host !== undefined ? { host: input.host.toLowerCase() } : {}),
    ...(input.activityId !== undefined ? { activityId: input.activityId } : {}),
    ...(input.activityType !== undefined ? { activityType: input.activityType } : {}),
    ...(input.failure !== undefined ? { reason: input.failure } : {}),
  };
}
