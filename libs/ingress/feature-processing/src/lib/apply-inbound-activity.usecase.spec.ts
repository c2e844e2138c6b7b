import { type InboundActivityRepository, type RemoteActorRepository, type RemoteActorResolver, RemoteFetchException } from '@peerfed/ingress/data-access';
import { type InboundActivityPayload } from '@peerfed/shared/contracts';
import { type DataSource } from 'typeorm';
import { type ActorLifecycleHandler } from './actor-lifecycle.handler';
import { ApplyInboundActivityUseCase } from './apply-inbound-activity.usecase';
import { type ContentActivitiesHandler } from './content-activities.handler';
import { type FollowActivitiesHandler } from './follow-activities.handler';
import { type VoteActivitiesHandler } from './vote-activities.handler';

const ZOE = 'https://remote.example/users/zoe';
const zoe = { actorId: ZOE, keyId: `${ZOE}#main-key` };

function payload(activity: Record<string, unknown>): InboundActivityPayload {
  return { activity, actorId: ZOE, keyId: `${ZOE}#main-key`, receivedAt: new Date().toISOString(), inbox: 'http://localhost:3000/inbox' };
}

/** A DataSource whose processed_messages insert succeeds once per message id. */
function fakeDataSource(): { dataSource: DataSource; transactions: jest.Mock } {
  const seen = new Set<string>();
  const manager = { query: jest.fn((_sql: string, [, id]: [string, string]) => Promise.resolve(seen.has(id) ? [] : (seen.add(id), [1]))) };
  const transactions = jest.fn((work: (m: typeof manager) => Promise<unknown>) => work(manager));
  return { dataSource: { options: { type: 'postgres', schema: 'ingress' }, transaction: transactions } as unknown as DataSource, transactions };
}

function setup(actor: jest.Mock = jest.fn(() => Promise.resolve(zoe))) {
  const { dataSource, transactions } = fakeDataSource();
  const follows = { unfollow: jest.fn(() => Promise.resolve({ outcome: 'ignored:not-following' })) };
  const votes = { withdraw: jest.fn(() => Promise.resolve({ outcome: 'vote-withdrawn' })), vote: jest.fn() };
  const upsert = jest.fn(() => Promise.resolve());
  const useCase = new ApplyInboundActivityUseCase(
    dataSource,
    { actor } as unknown as RemoteActorResolver,
    { upsert } as unknown as RemoteActorRepository,
    { record: jest.fn(() => Promise.resolve()) } as unknown as InboundActivityRepository,
    follows as unknown as FollowActivitiesHandler,
    {} as ContentActivitiesHandler,
    votes as unknown as VoteActivitiesHandler,
    {} as ActorLifecycleHandler,
  );
  return { useCase, follows, votes, upsert, actor, transactions };
}

describe('ApplyInboundActivityUseCase', () => {
  it('applies an activity once per activity id and stores the sender with the effect', async () => {
    const { useCase, upsert } = setup();
    const undo = { id: 'https://remote.example/undo/1', type: 'Undo', actor: ZOE, object: 'https://remote.example/likes/1' };
    expect(await useCase.execute(payload(undo))).toEqual({ outcome: 'vote-withdrawn' });
    expect(await useCase.execute(payload(undo))).toEqual({ outcome: 'duplicate' });
    expect(upsert).toHaveBeenCalledTimes(1);
  });

  it('an Undo naming only an id tries the follow first, then the vote', async () => {
    const { useCase, follows, votes } = setup();
    await useCase.execute(payload({ id: 'https://remote.example/undo/2', type: 'Undo', actor: ZOE, object: 'https://remote.example/x/1' }));
    expect(follows.unfollow).toHaveBeenCalledTimes(1);
    expect(votes.withdraw).toHaveBeenCalledTimes(1);
  });

  it('refetches the sender for an Update of itself (key rotation)', async () => {
    const { useCase, actor } = setup();
    const update = { id: `${ZOE}#update`, type: 'Update', actor: ZOE, object: { id: ZOE, type: 'Person', inbox: `${ZOE}/inbox` } };
    expect(await useCase.execute(payload(update))).toEqual({ outcome: 'actor-refreshed' });
    expect(actor).toHaveBeenCalledWith(ZOE, { refresh: true });
  });

  it('drops an activity whose sender is gone since, and retries other fetch failures', async () => {
    const like = { id: 'https://remote.example/likes/9', type: 'Like', actor: ZOE, object: 'http://localhost:3000/objects/1' };
    const gone = setup(jest.fn(() => Promise.reject(new RemoteFetchException('gone', ZOE, 'HTTP 410'))));
    expect(await gone.useCase.execute(payload(like))).toEqual({ outcome: 'ignored:sender-gone' });
    expect(gone.transactions).not.toHaveBeenCalled();
    const down = setup(jest.fn(() => Promise.reject(new RemoteFetchException('timeout', ZOE, 'slow'))));
    await expect(down.useCase.execute(payload(like))).rejects.toThrow('timeout');
  });
});
