import { laneKey, type RedisConnection } from '@peerfed/platform/streams';
import { ENVELOPE_FIELD, type MessageEnvelope, type Priority, type StreamContract, createEnvelope, validateMessage } from '@peerfed/shared/contracts';

export interface StreamEntry<P extends object> {
  payload: P;
  priority: Priority;
  /** Envelope id; a deterministic id makes a re-publication recognisable. Default: a new UUID. */
  id?: string;
  traceId?: string;
}

export interface AppendOptions {
  /**
   * Validate every payload with the contract's class before writing (default true). Off only for
   * payloads this service derives from data it already validated (tasks of a received publication,
   * outcomes of received tasks): the consumer validates on receipt anyway and dead-letters what it
   * refuses, as the streams transport's own producer assumes (`validateOnPublish` is off there by
   * default).
   */
  validate?: boolean;
}

/**
 * Appends messages in the streams transport's layout (`{stream}:<lane>`, field `envelope`),
 * validated unless told otherwise, many per round trip: one MULTI per call, every key in the
 * stream's hash slot.
 */
export class StreamWriter {
  constructor(private readonly redis: RedisConnection) {}

  async append<P extends object>(contract: StreamContract<P>, entries: readonly StreamEntry<P>[], createdAt = new Date(), options: AppendOptions = {}): Promise<void> {
    if (entries.length === 0) return;
    const validate = options.validate ?? true;
    const multi = this.redis.multi();
    for (const entry of entries) {
      const envelope = createEnvelope(contract, entry.payload, { id: entry.id, traceId: entry.traceId, createdAt });
      multi.xadd(laneKey(contract.stream, entry.priority), '*', ENVELOPE_FIELD, validate ? serializeEnvelope(contract, envelope) : JSON.stringify(envelope));
    }
    const replies = await multi.exec();
    const failed = replies?.find(([error]) => error !== null);
    if (!replies || failed) throw new Error(`append to ${contract.stream} failed: ${failed?.[0]?.message ?? 'transaction aborted'}`);
  }
}

/** The stored form of an envelope; refuses one that would fail its consumer's validation. */
export function serializeEnvelope<P extends object>(contract: StreamContract<P>, envelope: MessageEnvelope<P>): string {
  const checked = validateMessage(contract, envelope);
  if (!checked.ok) throw new Error(`invalid ${contract.stream} message: ${checked.errors.join('; ')}`);
  return JSON.stringify(envelope);
}
