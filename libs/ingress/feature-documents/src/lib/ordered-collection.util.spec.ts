import { orderedCollection, orderedCollectionPage, PAGE_SIZE, parsePage } from './ordered-collection.util';

describe('ordered collections', () => {
  const id = 'http://localhost:3000/groups/demo/followers';

  it('links the collection to its first page', () => {
    expect(orderedCollection(id, 3)).toMatchObject({ id, type: 'OrderedCollection', totalItems: 3, first: `${id}?page=1` });
  });

  it('pages with next and prev only where they exist', () => {
    const total = PAGE_SIZE * 2 + 1;
    expect(orderedCollectionPage(id, 1, total, ['a'])).toMatchObject({ id: `${id}?page=1`, partOf: id, next: `${id}?page=2`, orderedItems: ['a'] });
    expect(orderedCollectionPage(id, 1, total, [])).not.toHaveProperty('prev');
    const last = orderedCollectionPage(id, 3, total, ['z']);
    expect(last).toMatchObject({ prev: `${id}?page=2` });
    expect(last).not.toHaveProperty('next');
  });

  it('accepts page numbers only', () => {
    expect(parsePage(undefined)).toBeUndefined();
    expect(parsePage('2')).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'x', '1e3', '9999999']) expect(() => parsePage(bad)).toThrow('page must be an integer');
  });
});
