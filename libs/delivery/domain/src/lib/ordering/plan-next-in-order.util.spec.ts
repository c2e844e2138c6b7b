import { planNextInOrder, type LaneEntry } from './plan-next-in-order.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const entry = (id: string, activityType: string, sequence: number, inFlight = false): LaneEntry => ({ id, activityType, sequence, inFlight });
const ids = (entries: readonly LaneEntry[]): string[] => entries.map((e) => e.id);

describe('planNextInOrder', () => {
  it('an empty lane has nothing to send', () => {
    expect(planNextInOrder([])).toEqual({ next: undefined, superseded: [] });
  });

  it('sends the oldest entry first, whatever the input order', () => {
    const plan = planNextInOrder([entry('like', 'Like', 3), entry('create', 'Create', 1), entry('announce', 'Announce', 2)]);
    expect(plan.next?.id).toBe('create');
    expect(plan.superseded).toEqual([]);
  });

  it('waits while the head is in flight', () => {
    expect(planNextInOrder([entry('create', 'Create', 1, true), entry('update', 'Update', 2)]).next).toBeUndefined();
  });

  it('an Update followed by another Update is dropped; the Create stays first', () => {
    const plan = planNextInOrder([entry('c', 'Create', 1), entry('u1', 'Update', 2), entry('u2', 'Update', 3)]);
    expect(plan.next?.id).toBe('c');
    expect(ids(plan.superseded)).toEqual(['u1']);
  });

  it('a pending Create and Updates followed by a Delete: only the Delete is sent', () => {
    const plan = planNextInOrder([entry('c', 'Create', 1), entry('u', 'Update', 2), entry('d', 'Delete', 3)]);
    expect(plan.next?.id).toBe('d');
    expect(ids(plan.superseded)).toEqual(['c', 'u']);
  });

  it('an in-flight Create is never superseded and the Delete waits for it', () => {
    const plan = planNextInOrder([entry('c', 'Create', 1, true), entry('u', 'Update', 2), entry('d', 'Delete', 3)]);
    expect(plan.next).toBeUndefined();
    expect(ids(plan.superseded)).toEqual(['u']);
  });

  it('an Update after a Delete is not superseded (it will fail on its own)', () => {
    const plan = planNextInOrder([entry('d', 'Delete', 1), entry('u', 'Update', 2)]);
    expect(plan.next?.id).toBe('d');
    expect(plan.superseded).toEqual([]);
  });

  it('rejects duplicate sequence numbers', () => {
    expect(() => planNextInOrder([entry('a', 'Create', 1), entry('b', 'Update', 1)])).toThrow(DeliveryDomainError);
  });
});
