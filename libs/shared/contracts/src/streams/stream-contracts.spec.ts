import { validateMessage, createEnvelope } from '../lib/message-validation.util';
import { type StreamContract } from '../lib/define-stream.util';
import { IngressInboundV1, type InboundActivityPayload } from './ingress-inbound.contract';
import { DeliveryOutboundV1, type OutboundActivityPayload } from './delivery-outbound.contract';
import { DeliveryTasksV1, type DeliveryTaskPayload } from './delivery-tasks.contract';
import { DeliveryAdminV1 } from './delivery-admin.contract';
import { DeliveryOutcomesV1, type DeliveryOutcomePayload } from './delivery-outcomes.contract';
import { DeliveryGoneV1 } from './delivery-gone.contract';

function roundTrip<P extends object>(contract: StreamContract<P>, payload: P) {
  return validateMessage(contract, JSON.parse(JSON.stringify(createEnvelope(contract, payload))) as unknown);
}

function errorFields(result: { ok: boolean; errors?: string[] }): string[] {
  return (result.errors ?? []).map((e) => e.split(':')[0] ?? '');
}

const inbound: InboundActivityPayload = {
  activity: { id: 'https://remote.example/activities/1', type: 'Follow' },
  actorId: 'https://remote.example/users/bob',
  keyId: 'https://remote.example/users/bob#main-key',
  receivedAt: '2026-11-22T10:00:00.000Z',
  inbox: 'http://localhost:3000/inbox',
};

const outbound: OutboundActivityPayload = {
  activityId: 'http://localhost:3000/activities/9',
  activity: { type: 'Create' },
  actorId: 'http://localhost:3000/users/alice',
  audience: { followers: true, inboxes: ['https://remote.example/inbox'] },
};

const task: DeliveryTaskPayload = {
  activityId: 'http://localhost:3000/activities/9',
  activityType: 'Create',
  actorId: 'http://localhost:3000/users/alice',
  inbox: 'https://remote.example/inbox',
  orderingKey: 'http://localhost:3000/notes/1',
  attempt: 1,
  queuedAt: '2026-11-22T10:00:00.000Z',
};

const outcome: DeliveryOutcomePayload = {
  host: 'remote.example',
  inboxUrl: 'https://remote.example/inbox',
  activityType: 'Create',
  statusCode: 503,
  latencyMs: 120,
  attempt: 2,
  outcome: 'retryable',
  errorClass: 'http-5xx',
};

describe('stream contracts', () => {
  it('name their streams and types', () => {
    expect([IngressInboundV1, DeliveryOutboundV1, DeliveryTasksV1, DeliveryOutcomesV1].map((c) => `${c.stream} ${c.type} v${c.schemaVersion}`)).toEqual([
      'ingress.inbound.v1 activity.received v1',
      'delivery.outbound.v1 activity.publish v1',
      'delivery.tasks.v1 delivery.task v1',
      'delivery.outcomes.v1 delivery.outcome v1',
    ]);
  });

  it('ingress.inbound.v1 accepts a received activity and rejects a bad one', () => {
    expect(roundTrip(IngressInboundV1, inbound).ok).toBe(true);
    const bad = roundTrip(IngressInboundV1, { ...inbound, actorId: 'bob', receivedAt: 'now', activity: 'x' } as never);
    expect(errorFields(bad).sort()).toEqual(['payload.activity', 'payload.actorId', 'payload.receivedAt']);
  });

  it('delivery.outbound.v1 accepts an activity to publish and rejects a bad one', () => {
    expect(roundTrip(DeliveryOutboundV1, outbound).ok).toBe(true);
    const bad = roundTrip(DeliveryOutboundV1, { ...outbound, actorId: 'alice', audience: { followers: 'yes', inboxes: ['ftp://x/inbox'] } } as never);
    expect(errorFields(bad).sort()).toEqual(['payload.actorId', 'payload.audience.followers', 'payload.audience.inboxes']);
    expect(errorFields(roundTrip(DeliveryOutboundV1, { ...outbound, audience: undefined } as never))).toEqual(['payload.audience']);
  });

  it('delivery.admin.v1 accepts dead-letter commands and rejects a bad one', () => {
    expect(roundTrip(DeliveryAdminV1, { action: 'replay', host: '127.0.0.1:4100' }).ok).toBe(true);
    expect(roundTrip(DeliveryAdminV1, { action: 'purge', all: true }).ok).toBe(true);
    expect(roundTrip(DeliveryAdminV1, { action: 'status', activityId: 'http://localhost:3000/activities/9' }).ok).toBe(true);
    expect(errorFields(roundTrip(DeliveryAdminV1, { action: 'status' }))).toEqual(['payload.activityId']);
    const bad = roundTrip(DeliveryAdminV1, { action: 'drop' as never, ids: ['nope'], host: 'a b', limit: 0 });
    expect(errorFields(bad).sort()).toEqual(['payload.action', 'payload.host', 'payload.ids', 'payload.limit']);
  });

  it('delivery.tasks.v1 accepts a task and rejects a bad one', () => {
    expect(roundTrip(DeliveryTasksV1, task).ok).toBe(true);
    const bad = roundTrip(DeliveryTasksV1, { ...task, inbox: 'ftp://x/inbox', activityType: 'create', attempt: 0 });
    expect(errorFields(bad).sort()).toEqual(['payload.activityType', 'payload.attempt', 'payload.inbox']);
  });

  it('delivery.outcomes.v1 accepts an outcome with or without a status code', () => {
    expect(roundTrip(DeliveryOutcomesV1, outcome).ok).toBe(true);
    const { statusCode: _statusCode, ...timeout } = outcome;
    expect(roundTrip(DeliveryOutcomesV1, { ...timeout, errorClass: 'timeout' }).ok).toBe(true);
    const bad = roundTrip(DeliveryOutcomesV1, { ...outcome, statusCode: 700, attempt: 0, outcome: 'maybe' as never, host: 'a b' });
    expect(errorFields(bad).sort()).toEqual(['payload.attempt', 'payload.host', 'payload.outcome', 'payload.statusCode']);
  });

  it('delivery.gone.v1 names an http(s) inbox and the delivery that found it gone', () => {
    expect(`${DeliveryGoneV1.stream} ${DeliveryGoneV1.type} v${DeliveryGoneV1.schemaVersion}`).toBe('delivery.gone.v1 inbox.gone v1');
    expect(roundTrip(DeliveryGoneV1, { inbox: 'https://remote.example/users/bob/inbox', activityId: 'https://peerfed.example/activities/1' }).ok).toBe(true);
    expect(errorFields(roundTrip(DeliveryGoneV1, { inbox: 'mailto:bob@remote.example', activityId: '' })).sort()).toEqual(['payload.activityId', 'payload.inbox']);
  });
});
