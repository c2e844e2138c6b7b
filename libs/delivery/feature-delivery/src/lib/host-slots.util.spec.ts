import { HostSlots } from './host-slots.util';

describe('HostSlots', () => {
  it('grants at most perHost slots per host and hands a released slot to the next waiter', async () => {
    const slots = new HostSlots(2);
    const a = await slots.acquire('h', 0);
    const b = await slots.acquire('h', 0);
    expect(slots.inFlight('h')).toBe(2);
    expect(await slots.acquire('other', 0)).toBeDefined();
    const waiting = slots.acquire('h', 10_000);
    a?.();
    a?.(); // a second release is ignored
    const c = await waiting;
    expect(c).toBeDefined();
    expect(slots.inFlight('h')).toBe(2);
    b?.();
    c?.();
    expect(slots.inFlight('h')).toBe(0);
  });

  it('gives up after the wait when no slot frees', async () => {
    jest.useFakeTimers();
    try {
      const slots = new HostSlots(1);
      await slots.acquire('h', 0);
      const waiting = slots.acquire('h', 500);
      jest.advanceTimersByTime(500);
      expect(await waiting).toBeUndefined();
      expect(slots.inFlight('h')).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
