import { asNumber, flatToRecord, idTime, parseInfo } from './redis-reply.util';

describe('redis reply helpers', () => {
  it('turns a flat reply into a record and ignores a dangling key', () => {
    expect(flatToRecord(['length', 3, 'groups', 1, 'dangling'])).toEqual({ length: 3, groups: 1 });
    expect(flatToRecord('nope')).toEqual({});
  });

  it('reads numbers and entry id times', () => {
    expect(asNumber('12')).toBe(12);
    expect(asNumber(null)).toBeNull();
    expect(asNumber('x')).toBeNull();
    expect(idTime('1700000000000-3')).toBe(1700000000000);
    expect(idTime('0-0')).toBeNull();
  });

  it('parses INFO text', () => {
    expect(parseInfo('# Memory\r\nused_memory:1024\r\nmaxmemory:0\r\n')).toEqual({ used_memory: '1024', maxmemory: '0' });
  });
});
