export const DELIVERY_STATES = ['queued', 'retrying', 'deferred', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One attempt of one delivery, as kept in the status and in dead letters. */
export interface AttemptRecord {
  attempt: number;
  /** Epoch ms of the end of the attempt. */
  at: number;
  status?: number;
  errorClass: string;
  latencyMs: number;
}

/** The state of one activity at one destination inbox. */
export interface DeliveryStatus {
  state: DeliveryState;
  host: string;
  activityType: string;
  /** Attempts made (deferrals by circuit or rate limit do not count). */
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  /** Epoch ms of the next try when retrying or deferred. */
  nextAttemptAt?: number;
  history: AttemptRecord[];
  updatedAt: number;
}

export const TERMINAL_STATES: ReadonlySet<DeliveryState> = new Set(['delivered', 'dead']);

/** History kept per delivery: the policies allow at most 10 attempts; a few deferrals on top. */
export const MAX_HISTORY = 20;
