import { IsIn } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

export const VOTE_CHANGES = ['cast', 'withdrawn'] as const;
export type VoteChange = (typeof VOTE_CHANGES)[number];

export const VOTE_KINDS = ['like', 'dislike'] as const;
export type VoteKindName = (typeof VOTE_KINDS)[number];

/** A remote actor voted on (or withdrew a vote from) an object stored by ingress. */
export class VoteChangedPayload {
  @IsIn(VOTE_CHANGES)
  change!: VoteChange;

  @IsIn(VOTE_KINDS)
  kind!: VoteKindName;

  /** The remote voter. */
  @IsHttpUrl()
  actorId!: string;

  /** The object voted on (a local object, or a post in a local Group). */
  @IsHttpUrl()
  objectId!: string;

  /** The Like / Dislike activity (for a withdrawal: the one withdrawn). */
  @IsHttpUrl()
  activityId!: string;
}

/** ingress -> challenges (peer verification by fediverse votes). */
export const IngressVotesV1 = defineStream({
  stream: 'ingress.votes.v1',
  type: 'vote.changed',
  schemaVersion: 1,
  payload: VoteChangedPayload,
});
