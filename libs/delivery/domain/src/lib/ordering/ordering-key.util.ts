import { DeliveryDomainError } from '../delivery-domain.exception';

/** The few fields of an ActivityStreams activity that ordering needs. */
export interface OrderableActivity {
  readonly id?: string;
  readonly type: string;
  readonly object?: unknown;
}

const ACTIVITY_TYPES = new Set([
  'Create', 'Update', 'Delete', 'Like', 'Dislike', 'Announce', 'Follow', 'Accept', 'Reject', 'Undo',
  'Add', 'Remove', 'Block', 'Flag', 'Move',
]);
// Enough for Undo(Accept(Follow)); a deeper chain is malformed and stops unwrapping.
const MAX_UNWRAP_DEPTH = 4;

/**
 * The id of the thing an activity is ultimately about. Embedded activities are unwrapped, so
 * Undo(Like(note)) and Like(note) share a subject, as do Accept(Follow(actor)) and Follow(actor).
 * An Undo whose object is only an activity URI cannot be unwrapped and gets that URI:
 * producers should embed the undone activity (as Mastodon does).
 */
export function subjectIdOf(activity: OrderableActivity): string {
  let current: unknown = activity;
  for (let depth = 0; depth < MAX_UNWRAP_DEPTH; depth++) {
    const object = (current as { object?: unknown }).object;
    if (isEmbeddedActivity(object)) {
      current = object;
      continue;
    }
    const id = idOf(object);
    if (id !== undefined) return id;
    break;
  }
  const fallback = idOf(current) ?? activity.id;
  if (fallback === undefined) {
    throw new DeliveryDomainError('INVALID_INPUT', `activity of type ${String(activity.type)} has no object id and no id`);
  }
  return fallback;
}

/**
 * Key of the per-(host, object) FIFO lane: deliveries with the same key reach that host in the order
 * they were enqueued (see planNextInOrder); different keys are independent, so one object's retries
 * never block another's. Host is lower-cased; "|" cannot occur in a host.
 */
export function orderingKey(activity: OrderableActivity, host: string): string {
  if (typeof host !== 'string' || host === '' || host.includes('|')) {
    throw new DeliveryDomainError('INVALID_INPUT', `orderingKey needs a destination host, got ${String(host)}`);
  }
  return `${host.toLowerCase()}|${subjectIdOf(activity)}`;
}

function isEmbeddedActivity(value: unknown): value is OrderableActivity {
  return typeof value === 'object' && value !== null && ACTIVITY_TYPES.has((value as { type?: unknown }).type as string)
    && 'object' in value;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null) {
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}
