import { keyBelongsTo, parseActivity } from './activity.util';

describe('parseActivity', () => {
  it('extracts id, type, object id and actor', () => {
    const parsed = parseActivity(
      Buffer.from(JSON.stringify({ id: 'https://a/1', type: 'Update', actor: 'https://a/u', object: { id: 'https://a/note/1', type: 'Note' } })),
    );
    expect(parsed).toMatchObject({ id: 'https://a/1', type: 'Update', objectId: 'https://a/note/1', actor: 'https://a/u' });
    expect(parseActivity(Buffer.from('{"id":"x","type":"Delete","object":"https://a/note/1"}')).objectId).toBe('https://a/note/1');
  });

  it('rejects bodies that are not activities', () => {
    expect(() => parseActivity(Buffer.from('not json'))).toThrow('not JSON');
    expect(() => parseActivity(Buffer.from('[1]'))).toThrow('not a JSON object');
    expect(() => parseActivity(Buffer.from('{"type":"Create"}'))).toThrow('no id');
    expect(() => parseActivity(Buffer.from('{"id":"x"}'))).toThrow('no type');
  });
});

describe('keyBelongsTo', () => {
  it('compares the keyId without its fragment with the actor', () => {
    expect(keyBelongsTo('https://a/users/x#main-key', 'https://a/users/x')).toBe(true);
    expect(keyBelongsTo('https://a/users/y#main-key', 'https://a/users/x')).toBe(false);
    expect(keyBelongsTo('https://a/users/x', undefined)).toBe(false);
  });
});
