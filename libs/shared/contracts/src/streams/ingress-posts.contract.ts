import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

export const POST_CHANGES = ['created', 'updated', 'deleted'] as const;
export type PostChange = (typeof POST_CHANGES)[number];

/** A remote post or comment addressed to a local Group (or replying to one) was stored, edited or deleted. */
export class RemotePostChangedPayload {
  @IsIn(POST_CHANGES)
  change!: PostChange;

  @IsHttpUrl()
  objectId!: string;

  /** The remote author. */
  @IsHttpUrl()
  attributedTo!: string;

  /** The local Group it belongs to, when it belongs to one. */
  @IsOptional()
  @IsHttpUrl()
  groupId?: string;

  @IsOptional()
  @IsHttpUrl()
  inReplyTo?: string;

  /** Note, Page or Article; absent on deletion. */
  @IsOptional()
  @IsString()
  @Length(1, 32)
  type?: string;
}

/** ingress -> challenges (comments and submissions from the fediverse). */
export const IngressPostsV1 = defineStream({
  stream: 'ingress.posts.v1',
  type: 'post.changed',
  schemaVersion: 1,
  payload: RemotePostChangedPayload,
});
