import { deadLetterKey as contractDeadLetterKey, laneKey as contractLaneKey } from '@peerfed/shared/contracts';
import { assertGroupName, assertStreamName, deadLetterKey, isReplyKey, laneKey, replyKey } from './stream-keys.util';

describe('stream keys', () => {
  it('are the wire contract layout (one implementation, re-exported)', () => {
    expect(laneKey).toBe(contractLaneKey);
    expect(deadLetterKey).toBe(contractDeadLetterKey);
  });

  it('check stream and group names', () => {
    expect(() => assertStreamName('ingress.inbound.v1')).not.toThrow();
    expect(() => assertStreamName('ingress.{inbound}.v1')).toThrow(/Invalid stream name/);
    expect(() => assertStreamName('ingress.inbound')).toThrow(/Invalid stream name/);
    expect(() => assertGroupName('delivery-workers')).not.toThrow();
    expect(() => assertGroupName('bad group')).toThrow(/Invalid consumer group "bad group"/);
  });

  it('accept only reply keys of the transport', () => {
    const key = replyKey('0b6f8c1e-8d7a-4c3b-9a2f-1e2d3c4b5a69');
    expect(isReplyKey(key)).toBe(true);
    expect(isReplyKey('{ingress.inbound.v1}:high')).toBe(false);
    expect(isReplyKey('{rpc.x}:reply')).toBe(false);
  });
});
