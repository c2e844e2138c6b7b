import { ENVELOPE_FIELD, deadLetterKey, laneKey, laneKeys, streamSlotKey } from './stream-keys.util';

// CRC16 slot of a key as Redis Cluster computes it (hash tag honoured), to prove co-location.
function slot(key: string): number {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  const hashed = open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe('stream keys', () => {
  it('put every key of a stream in one cluster slot', () => {
    const keys = [...laneKeys('ingress.inbound.v1'), deadLetterKey('ingress.inbound.v1'), streamSlotKey('ingress.inbound.v1', 'delayed')];
    expect(keys).toEqual([
      '{ingress.inbound.v1}:critical',
      '{ingress.inbound.v1}:high',
      '{ingress.inbound.v1}:medium',
      '{ingress.inbound.v1}:low',
      '{ingress.inbound.v1}:dead',
      '{ingress.inbound.v1}:delayed',
    ]);
    expect(new Set(keys.map(slot)).size).toBe(1);
    expect(slot(laneKey('delivery.outbound.v1', 'low'))).not.toBe(slot(keys[0] ?? ''));
  });

  it('name the entry field the transport reads', () => {
    expect(ENVELOPE_FIELD).toBe('envelope');
  });
});
