import { type LoggerService } from '@nestjs/common';
import { PRIORITIES, validateMessage } from '@peerfed/shared/contracts';
import { type BatchQueue } from './batch-queue.util';
import { type ConcurrencyLimiter } from './concurrency-limiter.util';
import { errorText } from './error-text.util';
import { RedisStreamsContext } from './redis-streams-context.types';
import { type DeadLetterReason, type StreamBinding } from './stream-binding.types';
import { type DeliveredEntry, type StreamCommands } from './stream-commands.repository';
import { ENVELOPE_FIELD, isReplyKey } from './stream-keys.util';
import { type StreamMetrics } from './stream-metrics.service';
import { type StreamsClock } from './streams-clock.util';

export interface DispatcherOptions {
  consumer: string;
  maxDeliveries: number;
  replyTtlMs: number;
}

export interface DispatcherDeps {
  commands: StreamCommands;
  /** Acknowledgements, batched per `${group}\n${key}`. */
  acks: BatchQueue;
  limiter: ConcurrencyLimiter;
  metrics: StreamMetrics;
  clock: StreamsClock;
  logger: LoggerService;
  /** Runs the Nest handler bound to the stream; settles when the handler (and its stream) did. */
  invoke: (binding: StreamBinding, data: unknown, context: RedisStreamsContext) => Promise<unknown>;
}

interface BindingMetrics {
  processed: { inc(): void };
  failed: { inc(): void };
  deadLettered: { inc(): void };
  handlingSeconds: { observe(seconds: number): void };
}

export function ackQueueKey(group: string, key: string): string {
  return `${group}\n${key}`;
}

/**
 * Handles one delivered entry from start to end: decode, validate, run the handler, reply to a
 * request, acknowledge. The rules:
 * - acknowledged only after the handler settled successfully; a throw leaves it pending, to be
 *   reclaimed after the idle timeout, until its delivery count reaches maxDeliveries;
 * - invalid entries and entries out of deliveries go to the dead-letter stream with the reason,
 *   in one script with the XACK;
 * - a failing request is dead-lettered at once and then answered with the error (a caller is
 *   told once; replay it when fixed);
 * - a Redis failure while acknowledging leaves the entry pending (at-least-once, never lost).
 */
export class MessageDispatcher {
  /** Entry ids in progress here, per lane key, with when their handling started. */
  private readonly held = new Map<string, Map<string, number>>();
  private heldTotal = 0;
  // Labelled children per binding: resolving labels on every message costs more than the handler.
  private readonly counters = new Map<StreamBinding, BindingMetrics>();

  constructor(
    private readonly options: DispatcherOptions,
    private readonly deps: DispatcherDeps,
  ) {}

  get heldCount(): number {
    return this.heldTotal;
  }

  /** Whether this process is already working on the entry (a re-read or reclaim of it is skipped). */
  isHeld(key: string, id: string): boolean {
    return this.held.get(key)?.has(id) ?? false;
  }

  /** Entries of a lane whose handling here started within [startedAfter, startedBefore] (long handlers, kept alive by the janitor). */
  heldBetween(key: string, startedAfter: number, startedBefore: number): string[] {
    const ids: string[] = [];
    for (const [id, startedAt] of this.held.get(key) ?? []) if (startedAt >= startedAfter && startedAt <= startedBefore) ids.push(id);
    return ids;
  }

  /**
   * Starts handling an entry for which the caller acquired a limiter slot; the slot is released
   * when the entry is settled. Never rejects.
   */
  async start(binding: StreamBinding, entry: DeliveredEntry): Promise<void> {
    const key = binding.keys[entry.lane];
    let ids = this.held.get(key);
    if (!ids) {
      ids = new Map();
      this.held.set(key, ids);
    }
    ids.set(entry.id, this.deps.clock.now());
    this.heldTotal++;
    try {
      await this.handle(binding, entry, key);
    } catch (error) {
      this.deps.logger.error(`${binding.stream} ${entry.id}: left pending after a Redis error: ${errorText(error)}`);
    } finally {
      ids.delete(entry.id);
      this.heldTotal--;
      this.deps.limiter.release();
    }
  }

  private async handle(binding: StreamBinding, entry: DeliveredEntry, key: string): Promise<void> {
    const { fields } = entry;
    // Deleted after delivery, or a replay meant for another group: nothing for us to do.
    if (fields === null || (fields['replayFor'] !== undefined && fields['replayFor'] !== binding.group)) {
      await this.ack(binding, key, entry.id);
      return;
    }
    const decoded = decode(fields[ENVELOPE_FIELD]);
    const result = decoded.ok ? validateMessage(binding.contract, decoded.value) : { ok: false as const, errors: [decoded.error] };
    if (!result.ok) {
      await this.deadLetter(binding, entry, key, 'invalid', result.errors.join('; '));
      return;
    }
    const { envelope, payload } = result;
    if (binding.isRequest && (!envelope.correlationId || !envelope.replyTo || !isReplyKey(envelope.replyTo))) {
      await this.deadLetter(binding, entry, key, 'invalid', 'request without a correlationId and a valid replyTo');
      return;
    }
    if (entry.deliveries > this.options.maxDeliveries) {
      const reason = `delivered ${entry.deliveries} times (max ${this.options.maxDeliveries}); its consumers died or timed out`;
      await this.deadLetter(binding, entry, key, 'max-deliveries', reason);
      await this.failRequest(binding, envelope.correlationId, envelope.replyTo, reason);
      return;
    }

    const context = new RedisStreamsContext({
      stream: binding.stream,
      key,
      priority: PRIORITIES[entry.lane],
      group: binding.group,
      consumer: this.options.consumer,
      messageId: entry.id,
      deliveryCount: entry.deliveries,
      envelope,
    });
    const metrics = this.metricsOf(binding);
    const started = this.deps.clock.now();
    let response: unknown;
    try {
      response = await this.deps.invoke(binding, payload, context);
    } catch (error) {
      metrics.handlingSeconds.observe((this.deps.clock.now() - started) / 1000);
      metrics.failed.inc();
      const text = errorText(error);
      if (binding.isRequest) {
        await this.deadLetter(binding, entry, key, 'handler-error', text);
        await this.failRequest(binding, envelope.correlationId, envelope.replyTo, text);
      } else if (entry.deliveries >= this.options.maxDeliveries) {
        await this.deadLetter(binding, entry, key, 'handler-error', text);
      } else {
        this.deps.logger.warn?.(
          `${binding.stream} ${entry.id} (envelope ${envelope.id}) failed on delivery ${entry.deliveries}/${this.options.maxDeliveries}, retried after the idle timeout: ${text}`,
        );
      }
      return;
    }
    metrics.handlingSeconds.observe((this.deps.clock.now() - started) / 1000);
    if (binding.isRequest && envelope.replyTo && envelope.correlationId) {
      await this.deps.commands.writeReply(envelope.replyTo, envelope.correlationId, JSON.stringify({ response }), this.options.replyTtlMs);
    }
    await this.ack(binding, key, entry.id);
    metrics.processed.inc();
  }

  private metricsOf(binding: StreamBinding): BindingMetrics {
    let metrics = this.counters.get(binding);
    if (!metrics) {
      const labels = { stream: binding.stream, group: binding.group };
      metrics = {
        processed: this.deps.metrics.processed.labels(labels),
        failed: this.deps.metrics.failed.labels(labels),
        deadLettered: this.deps.metrics.deadLettered.labels(labels),
        handlingSeconds: this.deps.metrics.handlingSeconds.labels(labels),
      };
      this.counters.set(binding, metrics);
    }
    return metrics;
  }

  private ack(binding: StreamBinding, key: string, id: string): Promise<void> {
    return this.deps.acks.add(ackQueueKey(binding.group, key), id);
  }

  private async deadLetter(binding: StreamBinding, entry: DeliveredEntry, key: string, reason: DeadLetterReason, error: string): Promise<void> {
    const moved = await this.deps.commands.deadLetter(key, binding.deadKey, binding.group, this.options.consumer, entry.id, {
      [ENVELOPE_FIELD]: entry.fields?.[ENVELOPE_FIELD] ?? '',
      error,
      reason,
      stream: binding.stream,
      group: binding.group,
      consumer: this.options.consumer,
      priority: PRIORITIES[entry.lane],
      sourceKey: key,
      sourceId: entry.id,
      deliveries: String(entry.deliveries),
      deadAt: new Date(this.deps.clock.now()).toISOString(),
    });
    if (moved) {
      this.metricsOf(binding).deadLettered.inc();
      this.deps.logger.warn?.(`${binding.stream} ${entry.id} dead-lettered (${reason}): ${error}`);
    }
  }

  private async failRequest(binding: StreamBinding, correlationId: string | undefined, replyTo: string | undefined, error: string): Promise<void> {
    if (!binding.isRequest || !correlationId || !replyTo || !isReplyKey(replyTo)) return;
    await this.deps.commands.writeReply(replyTo, correlationId, JSON.stringify({ err: { status: 'error', message: error } }), this.options.replyTtlMs);
  }
}

function decode(raw: string | undefined): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw === undefined) return { ok: false, error: 'entry has no envelope field' };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, error: 'envelope is not valid JSON' };
  }
}
