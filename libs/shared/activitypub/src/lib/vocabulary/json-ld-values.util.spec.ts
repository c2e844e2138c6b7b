import { AS_PUBLIC } from './activitystreams.constants';
import { asArray, idOf, idsOf, isHttpUrl, isPublicAddress, normaliseType, typesOf } from './json-ld-values.util';

describe('JSON-LD value helpers', () => {
  it('asArray', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
    expect(asArray('a')).toEqual(['a']);
    const list = ['a', 'b'];
    expect(asArray(list)).toBe(list);
  });

  it('idOf reads strings, objects, Links and arrays', () => {
    expect(idOf('https://a.example/1')).toBe('https://a.example/1');
    expect(idOf({ id: 'https://a.example/2', type: 'Note' })).toBe('https://a.example/2');
    expect(idOf({ type: 'Link', href: 'https://a.example/3' })).toBe('https://a.example/3');
    expect(idOf([{ type: 'Image' }, 'https://a.example/4'])).toBe('https://a.example/4');
    expect(idOf('')).toBeUndefined();
    expect(idOf({ type: 'Note' })).toBeUndefined();
    expect(idOf(5)).toBeUndefined();
  });

  it('idsOf skips entries without an id', () => {
    expect(idsOf(['https://a.example/1', { id: 'https://a.example/2' }, { name: 'x' }, 3])).toEqual(['https://a.example/1', 'https://a.example/2']);
    expect(idsOf(undefined)).toEqual([]);
  });

  it('types are normalised and non-strings dropped', () => {
    expect(normaliseType('as:Note')).toBe('Note');
    expect(normaliseType('https://www.w3.org/ns/activitystreams#Page')).toBe('Page');
    expect(normaliseType('toot:Emoji')).toBe('toot:Emoji');
    expect(typesOf(['Note', 3, '', 'as:Page'])).toEqual(['Note', 'Page']);
  });

  it('isHttpUrl only accepts absolute http(s) URLs', () => {
    expect(isHttpUrl('https://a.example/x')).toBe(true);
    expect(isHttpUrl('http://localhost:3000/x')).toBe(true);
    expect(isHttpUrl('ftp://a.example/x')).toBe(false);
    expect(isHttpUrl('https://')).toBe(false);
    expect(isHttpUrl('/relative')).toBe(false);
    expect(isHttpUrl(`https://a.example/${'x'.repeat(5000)}`)).toBe(false);
  });

  it('isPublicAddress knows the compacted spellings', () => {
    expect(isPublicAddress([AS_PUBLIC])).toBe(true);
    expect(isPublicAddress(['as:Public'])).toBe(true);
    expect(isPublicAddress(['Public'])).toBe(true);
    expect(isPublicAddress(['https://a.example/users/x/followers'])).toBe(false);
  });
});
