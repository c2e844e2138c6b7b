import { Injectable, Logger } from '@nestjs/common';
import { InstanceRepository } from '@peerfed/monitor/data-access';
import { MetricsService } from '@peerfed/platform/observability';
import { Counter, Gauge } from 'prom-client';
import { type LifecycleReport } from '../lifecycle/lifecycle-report.types';
import { MemoryReader } from '../lifecycle/memory-reader.service';
import { StreamInspector } from '../streams/stream-inspector.service';

/** Scrapes in this window share one Redis/Postgres read. */
const REFRESH_MS = 2000;
const STATUSES = ['closed', 'open', 'half-open', 'blocked'];

/**
 * The monitor's Prometheus series (names in docs/operations.md). Gauges are filled on scrape from
 * one shared, briefly cached read of Redis and Postgres; lifecycle counters as the job runs.
 */
@Injectable()
export class MonitorMetricsService {
  private readonly logger = new Logger(MonitorMetricsService.name);
  private refreshing: Promise<void> | undefined;
  private refreshedAt = 0;

  private readonly streamLength: Gauge<'stream' | 'priority'>;
  private readonly pending: Gauge<'stream' | 'group' | 'priority'>;
  private readonly lag: Gauge<'stream' | 'group' | 'priority'>;
  private readonly oldestPending: Gauge<'stream' | 'group' | 'priority'>;
  private readonly deadLetters: Gauge<'stream'>;
  private readonly circuits: Gauge<'status'>;
  private readonly unavailable: Gauge;
  private readonly usedMemory: Gauge;
  private readonly maxMemory: Gauge;
  private readonly memoryPressure: Gauge;
  private readonly lifecycleRuns: Counter<'result'>;
  private readonly trimmed: Counter;
  private readonly archived: Counter;
  private readonly lastLifecycleSuccess: Gauge;

  constructor(
    metrics: MetricsService,
    private readonly inspector: StreamInspector,
    private readonly instances: InstanceRepository,
    private readonly memory: MemoryReader,
  ) {
    const registers = [metrics.registry];
    const collect = (): Promise<void> => this.refresh();
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> => new Gauge({ name, help, labelNames, registers, collect });
    this.streamLength = gauge('peerfed_monitor_stream_length', 'Entries in a stream lane (XLEN)', ['stream', 'priority']);
    this.pending = gauge('peerfed_monitor_stream_pending', 'Delivered, not yet acknowledged entries per group and lane', ['stream', 'group', 'priority']);
    this.lag = gauge('peerfed_monitor_stream_lag', 'Entries not yet delivered to the group per lane', ['stream', 'group', 'priority']);
    this.oldestPending = gauge('peerfed_monitor_stream_oldest_pending_age_seconds', 'Age of the oldest pending entry per group and lane', ['stream', 'group', 'priority']);
    this.deadLetters = gauge('peerfed_monitor_dead_letters', 'Entries in the dead-letter stream', ['stream']);
    this.circuits = gauge('peerfed_monitor_circuits', 'Remote hosts by effective circuit status', ['status']);
    this.unavailable = gauge('peerfed_monitor_unavailable_instances', 'Hosts marked unavailable (7 failing days)', []);
    this.usedMemory = gauge('peerfed_monitor_redis_used_memory_bytes', 'Redis used_memory', []);
    this.maxMemory = gauge('peerfed_monitor_redis_maxmemory_bytes', 'Redis maxmemory (0 = unlimited)', []);
    this.memoryPressure = gauge('peerfed_monitor_redis_memory_pressure', '1 while used_memory is above the pressure threshold of maxmemory', []);
    this.lifecycleRuns = new Counter({ name: 'peerfed_monitor_lifecycle_runs_total', help: 'Lifecycle job runs by result', labelNames: ['result'], registers });
    this.trimmed = new Counter({ name: 'peerfed_monitor_lifecycle_trimmed_entries_total', help: 'Stream entries trimmed by the lifecycle job', registers });
    this.archived = new Counter({ name: 'peerfed_monitor_dead_letters_archived_total', help: 'Dead letters archived to Postgres and removed from Redis', registers });
    this.lastLifecycleSuccess = new Gauge({ name: 'peerfed_monitor_lifecycle_last_success_timestamp_seconds', help: 'When the lifecycle job last finished without errors', registers });
  }

  recordLifecycle(report: LifecycleReport): void {
    this.lifecycleRuns.inc({ result: report.errors.length === 0 ? 'ok' : 'partial' });
    this.trimmed.inc(report.trimmedTotal);
    this.archived.inc(report.deadLettersArchived);
    if (report.errors.length === 0) this.lastLifecycleSuccess.set(report.finishedAt / 1000);
  }

  recordLifecycleFailure(): void {
    this.lifecycleRuns.inc({ result: 'failed' });
  }

  private refresh(): Promise<void> {
    if (Date.now() - this.refreshedAt < REFRESH_MS) return Promise.resolve();
    this.refreshing ??= this.read()
      .catch((error: unknown) => this.logger.warn({ msg: 'metrics refresh failed', err: error }))
      .finally(() => {
        this.refreshedAt = Date.now();
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async read(): Promise<void> {
    const [streams, byStatus, unavailable, memory] = await Promise.all([
      this.inspector.inspectAll(),
      this.instances.countByStatus(),
      this.instances.countUnavailable(),
      this.memory.status(),
    ]);
    for (const gauge of [this.streamLength, this.pending, this.lag, this.oldestPending, this.deadLetters]) gauge.reset();
    for (const report of streams) {
      this.deadLetters.set({ stream: report.stream }, report.deadLetters);
      for (const lane of report.lanes) {
        this.streamLength.set({ stream: report.stream, priority: lane.priority }, lane.length);
        for (const g of lane.groups) {
          const labels = { stream: report.stream, group: g.group, priority: lane.priority };
          this.pending.set(labels, g.pending);
          if (g.lag !== null) this.lag.set(labels, g.lag);
          this.oldestPending.set(labels, (g.oldestPendingAgeMs ?? 0) / 1000);
        }
      }
    }
    for (const status of STATUSES) this.circuits.set({ status }, byStatus[status] ?? 0);
    this.unavailable.set(unavailable);
    this.usedMemory.set(memory.usedMemoryBytes);
    this.maxMemory.set(memory.maxMemoryBytes);
    this.memoryPressure.set(memory.pressure ? 1 : 0);
  }
}
