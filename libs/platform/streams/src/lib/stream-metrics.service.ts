import { Counter, Gauge, Histogram, type Registry, register as globalRegistry } from 'prom-client';

type StreamLabels = 'stream' | 'group';
type LaneLabels = 'stream' | 'group' | 'priority';

const byRegistry = new WeakMap<Registry, StreamMetrics>();

/**
 * The transport's Prometheus metrics. One set per registry: several servers in a process (or in
 * a test) share them instead of failing on "already registered".
 */
export class StreamMetrics {
  readonly processed: Counter<StreamLabels>;
  readonly failed: Counter<StreamLabels>;
  readonly deadLettered: Counter<StreamLabels>;
  readonly handlingSeconds: Histogram<StreamLabels>;
  readonly pending: Gauge<LaneLabels>;
  readonly lag: Gauge<LaneLabels>;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.processed = reuse(registry, 'peerfed_stream_messages_processed_total', () =>
      new Counter({ name: 'peerfed_stream_messages_processed_total', help: 'Messages handled and acknowledged', labelNames: ['stream', 'group'], registers }),
    );
    this.failed = reuse(registry, 'peerfed_stream_messages_failed_total', () =>
      new Counter({ name: 'peerfed_stream_messages_failed_total', help: 'Handler runs that threw (the message stays pending)', labelNames: ['stream', 'group'], registers }),
    );
    this.deadLettered = reuse(registry, 'peerfed_stream_messages_dead_lettered_total', () =>
      new Counter({ name: 'peerfed_stream_messages_dead_lettered_total', help: 'Messages moved to the dead-letter stream', labelNames: ['stream', 'group'], registers }),
    );
    this.handlingSeconds = reuse(registry, 'peerfed_stream_handling_seconds', () =>
      new Histogram({
        name: 'peerfed_stream_handling_seconds',
        help: 'Handler run time, successful or not',
        labelNames: ['stream', 'group'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
    );
    this.pending = reuse(registry, 'peerfed_stream_pending_messages', () =>
      new Gauge({ name: 'peerfed_stream_pending_messages', help: 'Delivered, not yet acknowledged (XPENDING), per lane', labelNames: ['stream', 'group', 'priority'], registers }),
    );
    this.lag = reuse(registry, 'peerfed_stream_lag_messages', () =>
      new Gauge({ name: 'peerfed_stream_lag_messages', help: 'Entries not yet delivered to the group (XINFO GROUPS lag), per lane', labelNames: ['stream', 'group', 'priority'], registers }),
    );
  }

  static for(registry: Registry = globalRegistry): StreamMetrics {
    let metrics = byRegistry.get(registry);
    if (!metrics) {
      metrics = new StreamMetrics(registry);
      byRegistry.set(registry, metrics);
    }
    return metrics;
  }
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
