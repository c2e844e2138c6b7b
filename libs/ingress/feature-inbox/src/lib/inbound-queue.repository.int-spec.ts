import { type IngressRedis, type IngressSettings } from '@peerfed/ingress/data-access';
import { startTestRedisCluster, useTestRedis, type TestRedisCluster } from '@peerfed/platform/testing';
import { ENVELOPE_FIELD, type InboundActivityPayload, IngressInboundV1, laneKey, type Priority } from '@peerfed/shared/contracts';
import { activityMessageId } from '@peerfed/shared/outbound';
import { InboundQueueRepository } from './inbound-queue.repository';
import { SeenActivitiesRepository, seenKey } from './seen-activities.repository';

const TTL = 86_400;
const settings = { seenActivityTtlSeconds: TTL } as unknown as IngressSettings;
const ACTOR = 'https://remote.example/users/alice';
let counter = 0;

function like(): { id: string; payload: InboundActivityPayload } {
  const id = `${ACTOR}/likes/${++counter}`;
  const activity = { id, type: 'Like', actor: ACTOR, object: 'http://localhost:3000/objects/1' };
  return { id, payload: { activity, actorId: ACTOR, keyId: `${ACTOR}#main-key`, receivedAt: new Date().toISOString(), inbox: 'http://localhost:3000/inbox' } };
}

async function envelopes(redis: IngressRedis, priority: Priority): Promise<Array<{ id: string; payload: InboundActivityPayload }>> {
  const entries = await redis.xrange(laneKey(IngressInboundV1.stream, priority), '-', '+');
  return entries.map(([, fields]) => {
    expect(fields[0]).toBe(ENVELOPE_FIELD);
    return JSON.parse(fields[1] as string) as { id: string; payload: InboundActivityPayload };
  });
}

/** The same behaviour on one Redis (one script call per batch) and on a Cluster (two steps). */
function behavesAsAQueue(redis: () => IngressRedis): void {
  const queue = (): InboundQueueRepository => new InboundQueueRepository(redis(), settings, new SeenActivitiesRepository(redis(), settings));

  it('queues an activity once, with its envelope id, and remembers its id with the TTL', async () => {
    const { id, payload } = like();
    const before = (await envelopes(redis(), 'high')).length;
    expect(await queue().enqueue(id, payload, 'high')).toBe('queued');
    expect(await queue().enqueue(id, payload, 'high')).toBe('duplicate');
    const added = (await envelopes(redis(), 'high')).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ id: activityMessageId(id), type: IngressInboundV1.type, payload });
    expect(await redis().ttl(seenKey(id))).toBeGreaterThan(TTL - 10);
  });

  it('settles every activity of a burst larger than one batch, duplicates included', async () => {
    const repository = queue();
    const activities = Array.from({ length: 150 }, like);
    const before = (await envelopes(redis(), 'low')).length;
    const outcomes = await Promise.all([...activities, ...activities.slice(0, 10)].map(({ id, payload }) => repository.enqueue(id, payload, 'low')));
    expect(outcomes.filter((outcome) => outcome === 'queued')).toHaveLength(150);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(10);
    expect((await envelopes(redis(), 'low')).length - before).toBe(150);
  });

  it('rejects when XADD fails and forgets the id, so a retry is queued', async () => {
    const lane = laneKey(IngressInboundV1.stream, 'critical');
    await redis().set(lane, 'not a stream');
    const { id, payload } = like();
    await expect(queue().enqueue(id, payload, 'critical')).rejects.toThrow(/WRONGTYPE/);
    expect(await redis().exists(seenKey(id))).toBe(0);
    await redis().del(lane);
    expect(await queue().enqueue(id, payload, 'critical')).toBe('queued');
  });
}

describe('InboundQueueRepository (one Redis)', () => {
  const fixture = useTestRedis();
  behavesAsAQueue(() => fixture.redis);
});

describe('InboundQueueRepository (Redis Cluster)', () => {
  let cluster: TestRedisCluster;
  let client: IngressRedis;

  beforeAll(async () => {
    cluster = await startTestRedisCluster();
    client = cluster.client();
  });
  afterAll(() => cluster.cleanup());

  behavesAsAQueue(() => client);
});
