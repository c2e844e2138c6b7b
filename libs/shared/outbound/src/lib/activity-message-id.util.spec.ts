import { activityMessageId } from './activity-message-id.util';

describe('activityMessageId', () => {
  it('is a stable version-5 UUID per activity id', () => {
    const id = activityMessageId('https://peerfed.example/activities/1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(activityMessageId('https://peerfed.example/activities/1')).toBe(id);
    expect(activityMessageId('https://peerfed.example/activities/2')).not.toBe(id);
  });

  it('never changes for a given activity id (stored ids and consumers depend on it)', () => {
    expect(activityMessageId('https://peerfed.example/activities/1')).toBe('466317ea-45f8-576c-9632-da38deb1b14f');
  });
});
