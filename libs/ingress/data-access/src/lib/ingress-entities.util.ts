import { FollowerEntity } from './follower.entity';
import { FollowingEntity } from './following.entity';
import { InboundActivityEntity } from './inbound-activity.entity';
import { LocalActorEntity } from './local-actor.entity';
import { RemoteActorEntity } from './remote-actor.entity';
import { StoredObjectEntity } from './stored-object.entity';
import { VoteEntity } from './vote.entity';

/** Every entity of the ingress schema (the app adds ProcessedMessage); the migrations match them. */
export const INGRESS_ENTITIES = [
  LocalActorEntity,
  RemoteActorEntity,
  FollowerEntity,
  FollowingEntity,
  StoredObjectEntity,
  VoteEntity,
  InboundActivityEntity,
] as const;
