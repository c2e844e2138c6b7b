import { createHash } from 'node:crypto';
import { DeliveryTasksV1, streamSlotKey } from '@peerfed/shared/contracts';

const digest = (value: string): string => createHash('sha1').update(value).digest('hex');

/**
 * Redis keys owned by delivery. The delayed-retry set shares the hash tag of delivery.tasks.v1,
 * so the script that moves due retries back onto the lanes touches one cluster slot. The other
 * keys are used one at a time and hash the (URL) value they are about, so no brace inside a URL
 * can change the slot.
 */
export const DeliveryKeys = {
  delayed: streamSlotKey(DeliveryTasksV1.stream, 'delayed'),
  status: (activityId: string): string => `delivery:status:${digest(activityId)}`,
  rate: (host: string): string => `delivery:rate:host:${host}`,
  globalRate: 'delivery:rate:global',
  order: (orderingKey: string): string => `delivery:order:${digest(orderingKey)}`,
} as const;
