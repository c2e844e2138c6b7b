import { ArrivalLog } from './arrival-log.mjs';

describe('ArrivalLog', () => {
  it('resolves with an item that arrives later, or one that already arrived', async () => {
    const log = new ArrivalLog<string>();
    log.add('early');
    await expect(log.waitFor((s) => s === 'early', 1000)).resolves.toBe('early');
    const late = log.waitFor((s) => s === 'late', 1000);
    log.add('other');
    log.add('late');
    await expect(late).resolves.toBe('late');
  });

  it('resolves null when nothing matching arrives in time', async () => {
    const log = new ArrivalLog<string>();
    log.add('other');
    await expect(log.waitFor((s) => s === 'never', 20)).resolves.toBeNull();
  });
});
