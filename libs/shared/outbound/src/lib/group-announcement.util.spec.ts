import { parseActivity } from '@peerfed/shared/activitypub';
import { activityMessageId } from './activity-message-id.util';
import { groupAnnouncement } from './group-announcement.util';
import { InvalidOutboundActivityException } from './invalid-outbound-activity.exception';

const GROUP = 'https://peerfed.example/groups/run-100k';
const FOLLOWERS = `${GROUP}/followers`;
const create = {
  '@context': 'https://www.w3.org/ns/activitystreams',
  id: 'https://remote.example/activities/7',
  type: 'Create',
  actor: 'https://remote.example/users/bob',
  to: [GROUP],
  object: { id: 'https://remote.example/notes/7', type: 'Note', attributedTo: 'https://remote.example/users/bob', content: 'ran 12 km' },
};

describe('groupAnnouncement', () => {
  it('announces the whole activity, by the Group, to the public and its followers, delivered to its followers', () => {
    const request = groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: create });
    expect(request).toEqual({
      activity: {
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${GROUP}/announces/${activityMessageId(create.id)}`,
        type: 'Announce',
        actor: GROUP,
        object: create,
        to: ['https://www.w3.org/ns/activitystreams#Public'],
        cc: [FOLLOWERS],
      },
      actorId: GROUP,
      audience: { followers: true },
      priority: 'medium',
    });
    const parsed = parseActivity(request.activity);
    const announce = parsed.ok && parsed.value.kind === 'activity' ? parsed.value : undefined;
    expect(announce?.type).toBe('Announce');
    const inner = announce?.object.embedded;
    expect(inner?.kind === 'activity' ? inner.type : undefined).toBe('Create');
  });

  it('gives the same activity the same Announce id, and different activities different ones', () => {
    const again = groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: { ...create } });
    const other = groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: { ...create, id: 'https://remote.example/activities/8' } });
    expect(again.activity['id']).toBe(groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: create }).activity['id']);
    expect(other.activity['id']).not.toBe(again.activity['id']);
  });

  it('refuses an activity without an id: there would be nothing stable to announce', () => {
    const { id: _id, ...anonymous } = create;
    expect(() => groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: anonymous })).toThrow(InvalidOutboundActivityException);
    expect(() => groupAnnouncement({ groupId: GROUP, followersUrl: FOLLOWERS, activity: anonymous })).toThrow('the announced activity has no id');
  });
});
