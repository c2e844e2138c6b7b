import { validateSync } from 'class-validator';
import { MessageEnvelope, checkEnvelope } from './message-envelope.dto';

const valid = {
  id: '0b6f8c1e-8d7a-4c3b-9a2f-1e2d3c4b5a69',
  type: 'activity.received',
  schemaVersion: 1,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  createdAt: '2026-11-22T10:00:00.000Z',
  payload: { any: 'thing' },
};

const cases: Array<[string, Record<string, unknown>]> = [
  ['valid', valid],
  ['valid request', { ...valid, correlationId: 'abc', replyTo: '{rpc.x}:reply' }],
  ['null optional fields', { ...valid, correlationId: null }],
  ['bad id', { ...valid, id: 'abc' }],
  ['missing id', { ...valid, id: undefined }],
  ['one-word type', { ...valid, type: 'received' }],
  ['version 0', { ...valid, schemaVersion: 0 }],
  ['fractional version', { ...valid, schemaVersion: 1.5 }],
  ['version as text', { ...valid, schemaVersion: '1' }],
  ['empty trace id', { ...valid, traceId: '' }],
  ['long trace id', { ...valid, traceId: 'x'.repeat(129) }],
  ['date without zone', { ...valid, createdAt: 'yesterday' }],
  ['impossible date', { ...valid, createdAt: '2026-02-30T00:00:00Z' }],
  ['empty correlation id', { ...valid, correlationId: '' }],
  ['numeric reply stream', { ...valid, replyTo: 5 }],
  ['payload as text', { ...valid, payload: 'x' }],
  ['no payload', { ...valid, payload: undefined }],
];

describe('MessageEnvelope rules', () => {
  it.each(cases)('class-validator and checkEnvelope agree on: %s', (_name, raw) => {
    const byDecorators = validateSync(Object.assign(new MessageEnvelope(), raw)).map((error) => error.property);
    const byCheck = checkEnvelope(raw).map((error) => error.split(':')[0].replace('envelope.', ''));
    expect(byCheck).toEqual(byDecorators);
  });

  it('names the field and the rule', () => {
    expect(checkEnvelope({ ...valid, schemaVersion: 0, payload: undefined })).toEqual([
      'envelope.schemaVersion: schemaVersion must be an integer >= 1',
      'envelope.payload: payload must be an object',
    ]);
    expect(checkEnvelope(valid)).toEqual([]);
  });
});
