import { createEnvelope, type DeliveryTaskPayload, DeliveryTasksV1 } from '@peerfed/shared/contracts';
import { DELIVERY_DELAYED_KEY, groupRetries, parseDelayedMember } from './delayed-retries.util';

function member(lane: string, payload: Partial<DeliveryTaskPayload>): string {
  const task: DeliveryTaskPayload = {
    activityId: 'https://local.example/activities/1', activityType: 'Create', actorId: 'https://local.example/users/a',
    inbox: 'https://remote.example/inbox', orderingKey: 'k', attempt: 2, queuedAt: '2026-11-22T12:00:00.000Z', ...payload,
  };
  return `${lane}\n${JSON.stringify(createEnvelope(DeliveryTasksV1, task))}`;
}

describe('delivery delayed retries', () => {
  it('names delivery\'s delayed set in the task stream\'s slot', () => {
    expect(DELIVERY_DELAYED_KEY).toBe('{delivery.tasks.v1}:delayed');
  });

  it('reads lane, activity type and attempt from a member, and refuses other shapes', () => {
    expect(parseDelayedMember(member('high', { activityType: 'Follow', attempt: 3 }), 1000)).toEqual({ dueAt: 1000, priority: 'high', activityType: 'Follow', attempt: 3 });
    expect(parseDelayedMember(member('nonsense', {}), 5)?.priority).toBe('medium');
    expect(parseDelayedMember('no separator', 1)).toBeNull();
    expect(parseDelayedMember('medium\n{not json', 1)).toBeNull();
    expect(parseDelayedMember('medium\n{"payload":{"activityType":"Create","attempt":"2"}}', 1)).toBeNull();
    expect(parseDelayedMember(member('low', {}), Number.NaN)).toBeNull();
  });

  it('groups by activity type and attempt with counts and the earliest due time', () => {
    const groups = groupRetries([
      { dueAt: 3000, priority: 'medium', activityType: 'Create', attempt: 2 },
      { dueAt: 1000, priority: 'medium', activityType: 'Create', attempt: 2 },
      { dueAt: 2000, priority: 'low', activityType: 'Like', attempt: 1 },
      { dueAt: 500, priority: 'medium', activityType: 'Create', attempt: 10 },
    ]);
    expect(groups).toEqual([
      { activityType: 'Create', attempt: 2, count: 2, nextDueAt: new Date(1000).toISOString() },
      { activityType: 'Create', attempt: 10, count: 1, nextDueAt: new Date(500).toISOString() },
      { activityType: 'Like', attempt: 1, count: 1, nextDueAt: new Date(2000).toISOString() },
    ]);
    expect(groupRetries([])).toEqual([]);
  });
});
