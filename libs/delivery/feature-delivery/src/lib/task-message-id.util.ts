import { stableUuid } from '@peerfed/shared/outbound';

/** The envelope id of one try of one delivery: a re-run fan-out or a rescheduled retry repeats it. */
export function taskMessageId(activityId: string, inbox: string, attempt: number): string {
  return stableUuid(`delivery-task\n${activityId}\n${inbox}\n${attempt}`);
}
