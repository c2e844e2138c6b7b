import { circuitAllowsDelivery, circuitRetryAt, parseCircuitSnapshot, type CircuitSnapshot } from './circuit-state.contract';

const base: CircuitSnapshot = { host: 'remote.example', status: 'closed', blocked: false, updatedAt: 1_000 };

describe('circuit snapshot rules', () => {
  it('allows an unknown or closed host', () => {
    expect(circuitAllowsDelivery(undefined, 5_000)).toBe(true);
    expect(circuitAllowsDelivery(base, 5_000)).toBe(true);
  });

  it('holds an open host until openUntil, then lets probes through', () => {
    const open: CircuitSnapshot = { ...base, status: 'open', openUntil: 10_000 };
    expect(circuitAllowsDelivery(open, 9_999)).toBe(false);
    expect(circuitRetryAt(open, 9_999)).toBe(10_000);
    expect(circuitAllowsDelivery(open, 10_000)).toBe(true);
    expect(circuitAllowsDelivery({ ...base, status: 'half-open' }, 0)).toBe(true);
  });

  it('never allows a blocked host, whatever its circuit', () => {
    const blocked: CircuitSnapshot = { ...base, blocked: true };
    expect(circuitAllowsDelivery(blocked, 5_000)).toBe(false);
    expect(circuitRetryAt(blocked, 5_000)).toBeUndefined();
  });

  it('reads malformed stored values as closed', () => {
    expect(parseCircuitSnapshot(JSON.stringify({ ...base, status: 'open', openUntil: 7 }))).toMatchObject({ status: 'open', openUntil: 7 });
    expect(parseCircuitSnapshot('{nope')).toBeUndefined();
    expect(parseCircuitSnapshot(JSON.stringify({ ...base, status: 'ajar' }))).toBeUndefined();
    expect(parseCircuitSnapshot(null)).toBeUndefined();
  });
});
