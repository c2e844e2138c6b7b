import { ACTIVITY_PRIORITIES, activityPriority } from './activity-priority.util';
import { ACTIVITY_TYPES, type ApActivity, type ApUnknown } from './activitypub.types';
import { parseActivity } from './parse-document.util';

const ALICE = 'https://remote.example/users/alice';
let counter = 0;

function activity(type: string, object: unknown): ApActivity | ApUnknown {
  counter++;
  const result = parseActivity({ id: `https://remote.example/activities/${counter}`, type, actor: ALICE, object });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const note = { type: 'Note', id: 'https://remote.example/notes/1', attributedTo: ALICE };
const follow = { type: 'Follow', id: 'https://remote.example/follows/1', actor: ALICE, object: 'https://peerfed.example/challenges/demo' };

describe('activityPriority', () => {
  it('has a lane for every handled activity type', () => {
    expect(Object.keys(ACTIVITY_PRIORITIES).sort()).toEqual([...ACTIVITY_TYPES].sort());
  });

  it.each([
    ['Follow', 'https://peerfed.example/challenges/demo', 'high'],
    ['Accept', follow, 'high'],
    ['Reject', follow, 'high'],
    ['Undo', follow, 'high'],
    ['Create', note, 'medium'],
    ['Update', note, 'medium'],
    ['Delete', note.id, 'medium'],
    ['Like', note.id, 'medium'],
    ['Dislike', note.id, 'medium'],
    ['Announce', note.id, 'low'],
    ['Announce', note, 'low'],
  ])('%s of %j -> %s', (type, object, lane) => {
    expect(activityPriority(activity(type, object))).toBe(lane);
  });

  it('an actor deleting or updating itself is critical (purge, key rotation)', () => {
    expect(activityPriority(activity('Delete', ALICE))).toBe('critical');
    expect(activityPriority(activity('Update', { type: 'Person', id: ALICE, inbox: `${ALICE}/inbox` }))).toBe('critical');
    // Updating somebody else's actor (a Lemmy moderator editing the community) is not.
    expect(activityPriority(activity('Update', { type: 'Group', id: 'https://remote.example/c/x', inbox: 'https://remote.example/c/x/inbox' }))).toBe('medium');
  });

  it('an Announce takes the lane of the activity it relays, at most medium', () => {
    expect(activityPriority(activity('Announce', { id: 'https://remote.example/a/1', type: 'Like', actor: ALICE, object: note.id }))).toBe('medium');
    expect(activityPriority(activity('Announce', follow))).toBe('medium');
    expect(activityPriority(activity('Announce', { id: 'https://remote.example/a/2', type: 'Block', actor: ALICE, object: note.id }))).toBe('low');
  });

  it('types we do not handle run in the background', () => {
    expect(activityPriority(activity('Flag', note.id))).toBe('low');
  });
});
