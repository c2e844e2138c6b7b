export interface ParsedActivity {
  readonly activity: Record<string, unknown>;
  readonly id: string;
  readonly type: string;
  readonly objectId: string | undefined;
  readonly actor: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reference as an id: strings as they are, embedded objects by their `id`. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.id === 'string' ? value.id : undefined;
}

/** Parses an inbox body; throws with a reason when it is not an activity with an id and a type. */
export function parseActivity(body: Buffer): ParsedActivity {
  let activity: unknown;
  try {
    activity = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error('body is not JSON');
  }
  if (!isRecord(activity)) throw new Error('body is not a JSON object');
  if (typeof activity.id !== 'string' || activity.id.length === 0) throw new Error('activity has no id');
  if (typeof activity.type !== 'string' || activity.type.length === 0) throw new Error('activity has no type');
  return { activity, id: activity.id, type: activity.type, objectId: idOf(activity.object), actor: idOf(activity.actor) };
}

/** Whether a keyId belongs to the actor: `https://a/users/x#main-key` -> `https://a/users/x`. */
export function keyBelongsTo(keyId: string, actor: string | undefined): boolean {
  if (actor === undefined) return false;
  const hash = keyId.indexOf('#');
  return (hash === -1 ? keyId : keyId.slice(0, hash)) === actor;
}
