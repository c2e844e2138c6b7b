export interface LaneTrim {
  readonly key: string;
  readonly trimmed: number;
  /** true when trimmed down to unacknowledged entries whatever their age (too long, or memory pressure). */
  readonly hard: boolean;
}

export interface LifecycleReport {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly memoryPressure: boolean;
  readonly usedMemoryBytes: number;
  readonly maxMemoryBytes: number;
  readonly trims: LaneTrim[];
  readonly trimmedTotal: number;
  readonly deadLettersArchived: number;
  readonly deliveryRecordsExpired: number;
  readonly processedMessagesExpired: number;
  readonly errors: string[];
}
