import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

/**
 * delivered: 2xx; retryable: will be tried again (5xx, 408, 429, network); permanent: given up
 * (other 4xx, retries exhausted); deferred: not sent because the destination's circuit is open.
 */
export const OUTCOME_CLASSES = ['delivered', 'retryable', 'permanent', 'deferred'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** The result of one delivery attempt, for circuit breakers and instance health. */
export class DeliveryOutcomePayload {
  /** Destination host (with port when not the default). */
  @IsString()
  @Matches(/^[a-z0-9.-]+(:[0-9]{1,5})?$/i)
  host!: string;

  @IsHttpUrl()
  inboxUrl!: string;

  @IsString()
  @Matches(/^[A-Z][A-Za-z]{1,63}$/)
  activityType!: string;

  /** HTTP status; absent when no response arrived (timeout, DNS, connection). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  statusCode?: number;

  @IsInt()
  @Min(0)
  latencyMs!: number;

  /** 1 for the first try. */
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsIn(OUTCOME_CLASSES)
  outcome!: OutcomeClass;

  /** Short machine-readable class of the failure, e.g. timeout, dns, tls, http-5xx. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  errorClass?: string;
}

/** delivery -> monitor: one record per attempt. */
export const DeliveryOutcomesV1 = defineStream({
  stream: 'delivery.outcomes.v1',
  type: 'delivery.outcome',
  schemaVersion: 1,
  payload: DeliveryOutcomePayload,
});
