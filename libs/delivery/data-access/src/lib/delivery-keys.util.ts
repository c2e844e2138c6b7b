import { createHash } from 'node:crypto';
import { DeliveryTasksV1, streamSlotKey } from '@peerfed/shared/contracts';
import { boundedMemo } from '@peerfed/shared/util';

const digest = (value: string): string => createHash('sha1').update(value).digest('hex');

// Key names are built several times per delivery from a few recurring values (the hosts, the
// activities in flight): their digests are memoized.
const statusKey = boundedMemo((activityId: string) => `delivery:status:${digest(activityId)}`);
// A hash tag made of the host's digest: no brace inside a host name can change the slot.
const hostTag = boundedMemo((host: string) => `{h:${digest(host).slice(0, 16)}}`);
// An ordering lane (object + inbox) is named at fan-out, at the pre-send check and at release.
const laneDigest = boundedMemo(digest);

/**
 * Redis keys owned by delivery. The delayed-retry set shares the hash tag of delivery.tasks.v1,
 * so the script that moves due retries back onto the lanes touches one cluster slot. The keys
 * about one destination host (its rate-limit log, its ordering lanes) share a hash tag derived
 * from the host, so the pre-send check of a delivery is one script in one cluster slot. Other
 * keys hash the (URL) value they are about, so no brace inside a URL can change the slot.
 */
export const DeliveryKeys = {
  delayed: streamSlotKey(DeliveryTasksV1.stream, 'delayed'),
  status: statusKey,
  /** The hash tag shared by every key about one destination host. */
  hostTag,
  rate: (host: string): string => `delivery:rate:host:${hostTag(host)}`,
  /** Leases of the requests in flight to a host, scored by expiry (SendGateRepository). */
  inFlight: (host: string): string => `delivery:inflight:host:${hostTag(host)}`,
  globalRate: 'delivery:rate:global',
  order: (host: string, lane: string): string => `delivery:order:${hostTag(host)}:${laneDigest(lane)}`,
} as const;
