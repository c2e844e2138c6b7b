import { resolveRequestId, traceIdFrom } from './request-id.util';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it.each(['abc-123', 'f0e1d2c3-0000-4000-8000-123456789abc', 'lb:1.2_x'])('keeps a valid incoming id %s', (id) => {
    expect(resolveRequestId(id)).toBe(id);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'a b'],
    ['with a newline (header injection)', 'a\nSet-Cookie: x'],
    ['repeated header', ['a', 'b']],
  ])('generates a UUID when the id is %s', (_case, header) => {
    const id = resolveRequestId(header);
    expect(id).toMatch(UUID);
    expect(resolveRequestId(header)).not.toBe(id);
  });
});

describe('traceIdFrom', () => {
  it('extracts the trace id of a W3C traceparent', () => {
    expect(traceIdFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f35-00f067aa0ba902b7-01'])(
    'ignores %s',
    (header) => {
      expect(traceIdFrom(header)).toBeUndefined();
    },
  );
});
