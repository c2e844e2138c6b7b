/**
 * Priority lanes of every stream, highest first. The order of this array is the service order
 * (see the streams transport README for the weighted rule that keeps lower lanes moving).
 */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;

/** critical: immediate; high: user actions; medium: general federation; low: background. */
export type Priority = (typeof PRIORITIES)[number];

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}
