import { defineStream } from './define-stream.util';

class Payload {}

describe('defineStream', () => {
  it('returns a frozen contract', () => {
    const contract = defineStream({ stream: 'wallet.commands.v1', type: 'wallet.command', schemaVersion: 2, payload: Payload });
    expect(contract).toEqual({ stream: 'wallet.commands.v1', type: 'wallet.command', schemaVersion: 2, payload: Payload });
    expect(Object.isFrozen(contract)).toBe(true);
  });

  it.each(['wallet.commands', 'Wallet.commands.v1', '{wallet}.commands.v1', 'wallet commands.v1', 'wallet.commands.v0'])(
    'rejects the stream name %p',
    (stream) => {
      expect(() => defineStream({ stream, type: 'wallet.command', schemaVersion: 1, payload: Payload })).toThrow(/stream name/);
    },
  );

  it('rejects a one-word message type and a bad schema version', () => {
    expect(() => defineStream({ stream: 'a.b.v1', type: 'command', schemaVersion: 1, payload: Payload })).toThrow(/message type/);
    expect(() => defineStream({ stream: 'a.b.v1', type: 'a.command', schemaVersion: 1.5, payload: Payload })).toThrow(/schemaVersion/);
  });
});
