import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { InboundActivityEntity } from './inbound-activity.entity';

/** The log of activities accepted without an effect (unknown types, Announces). */
@Injectable()
export class InboundActivityRepository {
  async record(activity: Omit<InboundActivityEntity, 'receivedAt'>, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO "inbound_activities" ("activity_id", "type", "actor_id", "activity") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [activity.activityId, activity.type, activity.actorId, JSON.stringify(activity.activity)],
    );
  }

  async removeAllBy(actorId: string, manager: EntityManager): Promise<number> {
    return (await manager.getRepository(InboundActivityEntity).delete({ actorId })).affected ?? 0;
  }
}
