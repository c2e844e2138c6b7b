import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

export const DELIVERY_ADMIN_ACTIONS = ['list', 'replay', 'purge', 'status'] as const;
export type DeliveryAdminAction = (typeof DELIVERY_ADMIN_ACTIONS)[number];

/**
 * An admin command (request/reply). list, replay (re-queue with a fresh retry budget) and purge
 * apply to the dead letters matching every given filter (with no filter, `all: true` is
 * required). status returns the delivery state of `activityId` at each destination.
 */
export class DeliveryAdminCommandPayload {
  @IsIn(DELIVERY_ADMIN_ACTIONS)
  action!: DeliveryAdminAction;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids?: string[];

  /** Destination host[:port], e.g. "mastodon.example". */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9.-]+(:[0-9]{1,5})?$/i)
  host?: string;

  /** Required by status. */
  @ValidateIf((command: DeliveryAdminCommandPayload) => command.action === 'status' || command.activityId !== undefined)
  @IsHttpUrl()
  activityId?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Z][A-Za-z]{1,63}$/)
  activityType?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  reason?: string;

  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

/** The reply: how many matched and were replayed / purged; list returns the dead letters. */
export interface DeliveryAdminReply {
  action: DeliveryAdminAction;
  matched: number;
  affected: number;
  items?: Array<{
    id: string;
    activityId: string;
    activityType: string;
    inbox: string;
    host: string;
    reason: string;
    lastError: string;
    lastStatus?: number;
    attempts: number;
    deadAt: string;
  }>;
  /** status: one entry per destination inbox (Redis within TASK_TTL, else the Postgres archive). */
  deliveries?: Array<{
    inbox: string;
    state: string;
    attempts: number;
    lastStatus?: number;
    lastError?: string;
    nextAttemptAt?: string;
  }>;
}

/** monitor admin API -> delivery: dead-letter replay and purge (send() and wait for the reply). */
export const DeliveryAdminV1 = defineStream({
  stream: 'delivery.admin.v1',
  type: 'delivery.admin-command',
  schemaVersion: 1,
  payload: DeliveryAdminCommandPayload,
});
