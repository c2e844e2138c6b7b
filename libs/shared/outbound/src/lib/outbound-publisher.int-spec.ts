import { DeliveryOutboundV1, validateMessage } from '@peerfed/shared/contracts';
import { startTestRedisCluster, useTestRedis, type TestRedisCluster } from '@peerfed/platform/testing';
import { type Cluster, type Redis } from 'ioredis';
import { activityMessageId } from './activity-message-id.util';
import { InvalidOutboundActivityException } from './invalid-outbound-activity.exception';
import { OutboundPublisher, outboundLaneKey } from './outbound-publisher.service';

const ALICE = 'http://peerfed.test/users/alice';

function note(n: number, type = 'Create'): Record<string, unknown> {
  return {
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `http://peerfed.test/activities/${n}`,
    type,
    actor: ALICE,
    object: { id: `http://peerfed.test/notes/${n}`, type: 'Note', attributedTo: ALICE, content: 'hi' },
    to: ['https://www.w3.org/ns/activitystreams#Public'],
  };
}

async function entries(redis: Redis | Cluster, lane: Parameters<typeof outboundLaneKey>[0]): Promise<unknown[]> {
  const rows = await redis.xrange(outboundLaneKey(lane), '-', '+');
  return rows.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as unknown);
}

describe('OutboundPublisher (real Redis)', () => {
  const fixture = useTestRedis();

  beforeEach(() => fixture.redis.flushall());

  it('queues one valid message with a stable id on the activity lane', async () => {
    const publisher = new OutboundPublisher(fixture.redis);
    const result = await publisher.publish({ activity: note(1), actorId: ALICE, audience: { followers: true } });
    expect(result).toMatchObject({ activityId: note(1)['id'], messageId: activityMessageId(String(note(1)['id'])), priority: 'medium' });
    const [raw, ...rest] = await entries(fixture.redis, 'medium');
    expect(rest).toHaveLength(0);
    const message = validateMessage(DeliveryOutboundV1, raw);
    expect(message.ok && message.envelope.id).toBe(result.messageId);
    expect(message.ok && message.payload).toMatchObject({ actorId: ALICE, audience: { followers: true, inboxes: [] } });
  });

  it('uses activityPriority unless a lane is given', async () => {
    const publisher = new OutboundPublisher(fixture.redis);
    const follow = { id: 'http://peerfed.test/activities/f1', type: 'Accept', actor: ALICE, object: 'https://remote.test/follows/1' };
    await publisher.publish({ activity: follow, actorId: ALICE, audience: { followers: false, inboxes: ['https://remote.test/users/bob/inbox'] } });
    await publisher.publish({ activity: note(2), actorId: ALICE, audience: { followers: true }, priority: 'low' });
    expect(await entries(fixture.redis, 'high')).toHaveLength(1);
    expect(await entries(fixture.redis, 'low')).toHaveLength(1);
    expect(await entries(fixture.redis, 'medium')).toHaveLength(0);
  });

  it.each([
    ['a different actor', { ...note(3), actor: 'http://peerfed.test/users/mallory' }, { followers: true }, /activity\.actor/],
    ['no id', { ...note(3), id: undefined }, { followers: true }, /activity/],
    ['no audience', note(3), { followers: false, inboxes: [] }, /audience/],
    ['a bad inbox', note(3), { followers: false, inboxes: ['ftp://x/inbox'] }, /audience\.inboxes/],
    ['not an activity', { id: 'http://peerfed.test/notes/1', type: 'Note' }, { followers: true }, /activity/],
  ])('refuses %s and queues nothing of the batch', async (_name, activity, audience, message) => {
    const publisher = new OutboundPublisher(fixture.redis);
    const batch = [
      { activity: note(4), actorId: ALICE, audience: { followers: true } },
      { activity: activity as Record<string, unknown>, actorId: ALICE, audience },
    ];
    const failure = await publisher.publishBatch(batch).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidOutboundActivityException);
    expect((failure as InvalidOutboundActivityException).index).toBe(1);
    expect((failure as Error).message).toMatch(message);
    expect(await fixture.redis.keys('*')).toEqual([]);
  });

  it('publishes a batch in one transaction', async () => {
    const publisher = new OutboundPublisher(fixture.redis);
    const results = await publisher.publishBatch([1, 2, 3].map((n) => ({ activity: note(n), actorId: ALICE, audience: { followers: true } })));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(3);
    expect(await entries(fixture.redis, 'medium')).toHaveLength(3);
  });
});

describe('OutboundPublisher (Redis Cluster)', () => {
  let cluster: TestRedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await startTestRedisCluster();
    redis = cluster.client();
  });
  afterAll(() => cluster.cleanup());

  it('adds a mixed-lane batch in one slot', async () => {
    const publisher = new OutboundPublisher(redis);
    await publisher.publishBatch([
      { activity: note(1), actorId: ALICE, audience: { followers: true } },
      { activity: note(2, 'Like'), actorId: ALICE, audience: { followers: true }, priority: 'high' },
    ]);
    expect(await entries(redis, 'medium')).toHaveLength(1);
    expect(await entries(redis, 'high')).toHaveLength(1);
  });
});
