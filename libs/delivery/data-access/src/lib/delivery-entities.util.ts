import { DeadLetterEntity } from './dead-letter.entity';
import { DeliveryRecordEntity } from './delivery-record.entity';
import { FollowerProjectionEntity } from './follower-projection.entity';
import { StoredActivityEntity } from './stored-activity.entity';

/**
 * The delivery schema's own tables as entities. The repositories query them with SQL; the entities
 * are the declaration the schema drift check compares the migrations against.
 */
export const DELIVERY_ENTITIES = [StoredActivityEntity, FollowerProjectionEntity, DeliveryRecordEntity, DeadLetterEntity] as const;
