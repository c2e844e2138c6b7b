import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { defineStream } from './define-stream.util';
import { MessageEnvelope } from './message-envelope.dto';
import { createEnvelope, validateMessage, validatePayload } from './message-validation.util';

class Line {
  @IsString()
  sku!: string;
}

class OrderPayload {
  @IsInt()
  @Min(1)
  quantity!: number;

  @ValidateNested()
  @Type(() => Line)
  line!: Line;
}

const Orders = defineStream({ stream: 'shop.orders.v1', type: 'order.placed', schemaVersion: 2, payload: OrderPayload });

function plain(value: object): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('createEnvelope', () => {
  it('fills id, type, version, trace id and creation time', () => {
    const envelope = createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } }, { createdAt: new Date('2026-01-02T03:04:05Z') });
    expect(envelope).toBeInstanceOf(MessageEnvelope);
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(envelope).toMatchObject({ type: 'order.placed', schemaVersion: 2, createdAt: '2026-01-02T03:04:05.000Z' });
    expect(envelope.correlationId).toBeUndefined();
  });

  it('refuses caller-given ids that would make the envelope invalid', () => {
    expect(() => createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } }, { id: 'order-1' })).toThrow(/id "order-1" is not a UUID/);
    expect(() => createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } }, { traceId: '' })).toThrow(/traceId must have 1-128/);
    expect(() => createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } }, { createdAt: new Date('x') })).toThrow(/invalid date/);
  });

  it('keeps a given id, so a retried publication is idempotent', () => {
    const first = createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } });
    const again = createEnvelope(Orders, { quantity: 1, line: { sku: 'a' } }, { id: first.id, traceId: first.traceId });
    expect(again.id).toBe(first.id);
    expect(again.traceId).toBe(first.traceId);
  });
});

describe('validatePayload', () => {
  it('accepts plain objects and instances, and returns the class', () => {
    const plainResult = validatePayload(Orders, { quantity: 2, line: { sku: 'x' } });
    expect(plainResult.ok && plainResult.payload).toBeInstanceOf(OrderPayload);
    const instance = Object.assign(new OrderPayload(), { quantity: 2, line: Object.assign(new Line(), { sku: 'x' }) });
    expect(validatePayload(Orders, instance)).toEqual({ ok: true, payload: instance });
    expect(validatePayload(Orders, [1])).toEqual({ ok: false, errors: ['payload: must be an object'] });
  });
});

describe('validateMessage', () => {
  it('accepts a valid message and returns the payload as its class', () => {
    const result = validateMessage(Orders, plain(createEnvelope(Orders, { quantity: 3, line: { sku: 'x' } })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload).toBeInstanceOf(OrderPayload);
    expect(result.payload.line).toBeInstanceOf(Line);
    expect(result.envelope.payload).toBe(result.payload);
  });

  it('accepts older schema versions and rejects newer ones', () => {
    const older = { ...(plain(createEnvelope(Orders, { quantity: 1, line: { sku: 'x' } })) as object), schemaVersion: 1 };
    expect(validateMessage(Orders, older).ok).toBe(true);
    const newer = { ...older, schemaVersion: 3 };
    expect(validateMessage(Orders, newer)).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^envelope.schemaVersion: 3 is newer than 2/)],
    });
  });

  it('lists every envelope problem', () => {
    const result = validateMessage(Orders, { id: 'nope', type: 'x', schemaVersion: 0, traceId: '', createdAt: 'yesterday' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.errors.map((e) => e.split(':')[0]);
    expect(new Set(fields)).toEqual(
      new Set(['envelope.id', 'envelope.type', 'envelope.schemaVersion', 'envelope.traceId', 'envelope.createdAt', 'envelope.payload']),
    );
  });

  it('rejects a message of another type', () => {
    const raw = { ...(plain(createEnvelope(Orders, { quantity: 1, line: { sku: 'x' } })) as object), type: 'order.cancelled' };
    expect(validateMessage(Orders, raw)).toEqual({ ok: false, errors: [expect.stringContaining('envelope.type: expected "order.placed"')] });
  });

  it('reports nested payload errors with their path', () => {
    const raw = plain(createEnvelope(Orders, { quantity: 0, line: { sku: 5 } } as unknown as OrderPayload));
    const result = validateMessage(Orders, raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^payload.quantity: /),
      expect.stringMatching(/^payload.line.sku: /),
    ]);
  });

  it.each([null, 'text', 42, []])('rejects the non-object %p', (raw) => {
    expect(validateMessage(Orders, raw)).toEqual({ ok: false, errors: ['envelope: must be a JSON object'] });
  });
});
