export { OutboundPublisher, MAX_ACTIVITY_BYTES, outboundLaneKey } from './lib/outbound-publisher.service';
export { type PublishRequest, type PublishResult } from './lib/outbound-publish.types';
export { InvalidOutboundActivityException } from './lib/invalid-outbound-activity.exception';
export { activityMessageId, stableUuid } from './lib/activity-message-id.util';
export { groupAnnouncement, type GroupAnnouncement } from './lib/group-announcement.util';
