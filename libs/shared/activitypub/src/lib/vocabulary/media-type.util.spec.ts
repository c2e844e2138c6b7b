import { ACTIVITYPUB_ACCEPT, LD_JSON_ACTIVITYSTREAMS } from './activitystreams.constants';
import { acceptsActivityPub, isActivityPubMediaType } from './media-type.util';

describe('isActivityPubMediaType (Content-Type)', () => {
  it.each([
    'application/activity+json',
    'application/activity+json; charset=utf-8',
    'Application/Activity+JSON',
    LD_JSON_ACTIVITYSTREAMS,
    'application/ld+json;profile="https://www.w3.org/ns/activitystreams"',
    'application/ld+json; profile="https://example.com/other https://www.w3.org/ns/activitystreams"; charset=utf-8',
  ])('accepts %s', (value) => {
    expect(isActivityPubMediaType(value)).toBe(true);
  });

  it.each([undefined, '', 'application/json', 'text/html', 'application/ld+json', 'application/ld+json; profile="https://example.com/other"', 'activity+json'])(
    'refuses %s',
    (value) => {
      expect(isActivityPubMediaType(value)).toBe(false);
    },
  );

  it('accepts plain application/ld+json only when lenient', () => {
    expect(isActivityPubMediaType('application/ld+json', { lenient: true })).toBe(true);
    expect(isActivityPubMediaType('application/json', { lenient: true })).toBe(false);
  });
});

describe('acceptsActivityPub (Accept)', () => {
  it.each([
    ACTIVITYPUB_ACCEPT,
    'application/activity+json',
    'text/html;q=0.9, application/ld+json; profile="https://www.w3.org/ns/activitystreams"; q=0.5',
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/activity+json',
  ])('accepts %s', (value) => {
    expect(acceptsActivityPub(value)).toBe(true);
  });

  it.each([
    undefined,
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    '*/*',
    'application/activity+json;q=0',
    'application/json',
  ])('refuses %s', (value) => {
    expect(acceptsActivityPub(value)).toBe(false);
  });
});
