import { DeliveryLog } from './delivery-log.service';
import { type Outcome } from './fedisim.types';

let clock = 1_000;
const now = (): number => clock;

function delivery(activityId: string, type: string, objectId: string, outcome: Outcome = 202, instance = 'sim0') {
  return {
    instance,
    host: '127.0.0.1:1',
    inbox: '/inbox',
    sharedInbox: true,
    activityId,
    type,
    objectId,
    actor: 'https://us/users/a',
    keyId: 'https://us/users/a#main-key',
    actorMatchesKey: true,
    scheme: 'draft-cavage' as const,
    outcome,
    activity: { id: activityId, type },
  };
}

describe('DeliveryLog', () => {
  it('numbers records in arrival order and counts them per instance, inbox and activity', () => {
    const log = new DeliveryLog(100, now);
    log.recordDelivery(delivery('a1', 'Create', 'n1'));
    clock += 5;
    log.recordDelivery(delivery('a1', 'Create', 'n1', 500));
    log.recordDelivery(delivery('a2', 'Update', 'n1', 202, 'sim1'));
    expect(log.deliveries().map((r) => [r.seq, r.receivedAt, r.accepted])).toEqual([
      [1, 1_000, true],
      [2, 1_005, false],
      [3, 1_005, true],
    ]);
    expect(log.stats('sim0')).toMatchObject({ received: 2, accepted: 1, byInbox: { '/inbox': 2 } });
    expect(log.receivedActivity('a1')).toBe(2);
    expect(log.count({ type: 'Update' })).toBe(1);
    expect(log.totals()).toMatchObject({ received: 3, accepted: 2 });
  });

  it('reports the arrival order of an object, accepted deliveries only by default', () => {
    const log = new DeliveryLog(100, now);
    log.recordDelivery(delivery('c', 'Create', 'n1'));
    log.recordDelivery(delivery('u', 'Update', 'n1', 503));
    log.recordDelivery(delivery('u', 'Update', 'n1'));
    log.recordDelivery(delivery('x', 'Like', 'other'));
    log.recordDelivery(delivery('d', 'Delete', 'n1'));
    expect(log.arrivalOrder('n1')).toEqual(['Create', 'Update', 'Delete']);
    expect(log.arrivalOrder('n1', false)).toEqual(['Create', 'Update', 'Update', 'Delete']);
  });

  it('tracks in-flight requests and their peak per instance', () => {
    const log = new DeliveryLog(100, now);
    log.enter('sim0');
    log.enter('sim0');
    log.enter('sim1');
    log.leave('sim0');
    log.enter('sim0');
    expect(log.stats('sim0')).toMatchObject({ inFlight: 2, maxConcurrent: 2 });
    log.reset();
    expect(log.stats('sim0')).toMatchObject({ inFlight: 2, maxConcurrent: 2 });
    log.leave('sim0');
    log.leave('sim0');
    expect(log.stats('sim0')).toMatchObject({ inFlight: 0, maxConcurrent: 2 });
    expect(log.stats('sim1')).toMatchObject({ inFlight: 1, maxConcurrent: 1 });
  });

  it('resolves a waiter once enough matching deliveries arrived', async () => {
    const log = new DeliveryLog(100, now);
    log.recordDelivery(delivery('a1', 'Create', 'n1'));
    const waiting = log.waitForDeliveries(2, 5_000, { type: 'Create' });
    log.recordDelivery(delivery('a2', 'Like', 'n1'));
    log.recordDelivery(delivery('a3', 'Create', 'n2'));
    await expect(waiting).resolves.toHaveLength(2);
  });

  it('rejects a waiter on timeout with what it saw, and on close', async () => {
    const log = new DeliveryLog(100, now);
    log.recordDelivery(delivery('a1', 'Create', 'n1'));
    await expect(log.waitForDeliveries(3, 20)).rejects.toThrow('1 of 3 deliveries');
    const pending = log.waitForDeliveries(1, 5_000, { type: 'Delete' });
    log.close();
    await expect(pending).rejects.toThrow('stopped');
    await expect(log.waitForDeliveries(0, 10)).rejects.toThrow('stopped');
  });

  it('turns an abandoned slow answer into a non-accepted delivery', () => {
    const log = new DeliveryLog(100, now);
    const record = log.recordDelivery(delivery('a1', 'Create', 'n1'));
    log.abandon(record);
    expect(log.deliveries()[0]).toMatchObject({ outcome: 'abandoned', accepted: false });
    expect(log.stats('sim0').accepted).toBe(0);
  });

  it('keeps at most maxRecords records but exact counters', () => {
    const log = new DeliveryLog(3, now);
    for (let i = 0; i < 5; i += 1) log.recordDelivery(delivery(`a${i}`, 'Create', `n${i}`));
    expect(log.deliveries().map((r) => r.activityId)).toEqual(['a2', 'a3', 'a4']);
    expect(log.stats('sim0').received).toBe(5);
  });

  it('counts rejections by kind', () => {
    const log = new DeliveryLog(100, now);
    log.recordRejection({ instance: 'sim0', host: 'h', inbox: '/inbox', kind: 'signature', keyId: 'k', reason: 'bad' });
    log.recordRejection({ instance: 'sim0', host: 'h', inbox: '/inbox', kind: 'too-large', keyId: undefined, reason: 'big' });
    expect(log.stats('sim0')).toMatchObject({ signatureFailures: 1, tooLarge: 1, malformed: 0, received: 0 });
    expect(log.rejections({ kind: 'signature' }).map((r) => r.keyId)).toEqual(['k']);
  });
});
