import { orderingKey, subjectIdOf } from './ordering-key.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const NOTE = 'https://peerfed.example/objects/1';
const create = { id: 'https://peerfed.example/activities/c1', type: 'Create', object: { id: NOTE, type: 'Note' } };
const update = { id: 'https://peerfed.example/activities/u1', type: 'Update', object: { id: NOTE, type: 'Note' } };
const del = { id: 'https://peerfed.example/activities/d1', type: 'Delete', object: NOTE };

describe('orderingKey', () => {
  it('Create, Update and Delete of one object share a key per host', () => {
    const keys = [create, update, del].map((a) => orderingKey(a, 'Mastodon.Social'));
    expect(new Set(keys)).toEqual(new Set([`mastodon.social|${NOTE}`]));
  });

  it('the same object on two hosts gets two independent keys', () => {
    expect(orderingKey(create, 'a.example')).not.toBe(orderingKey(create, 'b.example'));
  });

  it('different objects on one host get different keys', () => {
    const other = { ...create, object: { id: 'https://peerfed.example/objects/2', type: 'Note' } };
    expect(orderingKey(create, 'a.example')).not.toBe(orderingKey(other, 'a.example'));
  });

  it('an Undo follows the activity it undoes (embedded)', () => {
    const like = { id: 'https://peerfed.example/likes/1', type: 'Like', object: NOTE };
    expect(orderingKey({ type: 'Undo', object: like }, 'h')).toBe(orderingKey(like, 'h'));
  });

  it('Accept(Follow) and Undo(Accept(Follow)) share the followed actor as subject', () => {
    const follow = { id: 'https://remote.example/follows/9', type: 'Follow', object: 'https://peerfed.example/groups/demo' };
    const accept = { id: 'https://peerfed.example/accepts/1', type: 'Accept', object: follow };
    expect(subjectIdOf(accept)).toBe('https://peerfed.example/groups/demo');
    expect(subjectIdOf({ type: 'Undo', object: accept })).toBe('https://peerfed.example/groups/demo');
  });

  it('an Undo referencing its activity by URI only is keyed by that URI', () => {
    expect(subjectIdOf({ type: 'Undo', object: 'https://peerfed.example/likes/1' })).toBe('https://peerfed.example/likes/1');
  });

  it('an activity without object falls back to its own id', () => {
    expect(subjectIdOf({ id: 'https://peerfed.example/a/1', type: 'Flag' })).toBe('https://peerfed.example/a/1');
  });

  it('rejects an activity with neither object id nor id, and a bad host', () => {
    expect(() => subjectIdOf({ type: 'Create', object: { type: 'Note' } })).toThrow(DeliveryDomainError);
    expect(() => orderingKey(create, '')).toThrow(DeliveryDomainError);
    expect(() => orderingKey(create, 'a|b')).toThrow(DeliveryDomainError);
  });
});
