import { createEnvelope, validateMessage } from '../lib/message-validation.util';
import { IngressPostsV1 } from './ingress-posts.contract';
import { IngressVotesV1 } from './ingress-votes.contract';

describe('ingress event contracts', () => {
  it('ingress.votes.v1 accepts a vote and names every bad field', () => {
    const vote = { change: 'cast' as const, kind: 'like' as const, actorId: 'https://r.example/u/1', objectId: 'http://localhost:3000/objects/1', activityId: 'https://r.example/likes/1' };
    expect(validateMessage(IngressVotesV1, createEnvelope(IngressVotesV1, vote)).ok).toBe(true);
    const bad = validateMessage(IngressVotesV1, createEnvelope(IngressVotesV1, { ...vote, change: 'maybe', kind: 'love', actorId: 'bob' } as never));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/payload\.change[\s\S]*payload\.kind[\s\S]*payload\.actorId/);
  });

  it('ingress.posts.v1 accepts a post change with or without its Group', () => {
    const post = { change: 'created' as const, objectId: 'https://r.example/notes/1', attributedTo: 'https://r.example/u/1', type: 'Note', groupId: 'http://localhost:3000/groups/demo' };
    expect(validateMessage(IngressPostsV1, createEnvelope(IngressPostsV1, post)).ok).toBe(true);
    expect(validateMessage(IngressPostsV1, createEnvelope(IngressPostsV1, { change: 'deleted', objectId: post.objectId, attributedTo: post.attributedTo })).ok).toBe(true);
    expect(validateMessage(IngressPostsV1, createEnvelope(IngressPostsV1, { ...post, groupId: 'demo' })).ok).toBe(false);
  });
});
