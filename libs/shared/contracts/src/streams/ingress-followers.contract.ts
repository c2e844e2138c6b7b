import { IsIn, IsOptional } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

export const FOLLOWER_CHANGES = ['added', 'removed'] as const;
export type FollowerChange = (typeof FOLLOWER_CHANGES)[number];

/**
 * A remote actor started or stopped following a local actor (or is gone: `removed`). Delivery
 * keeps its own projection of followers from these events to plan fan-out.
 */
export class FollowerChangedPayload {
  @IsIn(FOLLOWER_CHANGES)
  change!: FollowerChange;

  /** The local actor being followed. */
  @IsHttpUrl()
  localActorId!: string;

  /** The remote follower. */
  @IsHttpUrl()
  followerId!: string;

  @IsHttpUrl()
  inbox!: string;

  @IsOptional()
  @IsHttpUrl()
  sharedInbox?: string;
}

/** ingress -> delivery (and anyone who needs the audience of a local actor). */
export const IngressFollowersV1 = defineStream({
  stream: 'ingress.followers.v1',
  type: 'follower.changed',
  schemaVersion: 1,
  payload: FollowerChangedPayload,
});
