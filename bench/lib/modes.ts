/** How big each scenario is in each mode: full (the published figures), quick (≤ 2 min), smoke (CI, tiny). */
export type BenchMode = "full" | "quick" | "smoke";

export interface ModeConfig {
  readonly mode: BenchMode;
  readonly itemBytes: number;
  readonly drain: {
    readonly items: number;
    readonly repetitions: number;
    /** The sink limit is a rate: a prefix of the same events measures it as well as all of them. */
    readonly sinkLimitItems: number;
    /**
     * The ideal client repeats those events for at least this long: long enough to have steal-free half-seconds of
     * its own on this shared VM (steal-windows.ts), which 25k binary events (~6 s) rarely had.
     */
    readonly sinkLimitMinSeconds: number;
    readonly structured: boolean;
    /** BATCH_SIZE of the batch-mode row (Lambda's default batch size for DynamoDB Streams). */
    readonly batchSize: number;
  };
  readonly latency: {
    readonly writesPerSecond: number;
    readonly seconds: number;
    readonly repetitions: number;
    readonly idleSeconds: number;
    readonly pollIntervalsMs: readonly number[];
  };
  readonly memory: {
    /** Backlog size; the drain table is topped up to this many items. */
    readonly backlog: number;
    /**
     * RSS is sampled this long after the first event: far shorter than the drain, on purpose (backpressure). V8's
     * heap rises for ~60-70 s at this event rate before the first major GC drops it; a full window gives that
     * warm-up one half and judges flatness on the other.
     */
    readonly windowSeconds: number;
    readonly sinkDelayMs: number;
    readonly repetitions: number;
  };
  /** Lanes and batch mode against a sink with per-request latency. */
  readonly slowSink: { readonly items: number; readonly sinkDelayMs: number; readonly repetitions: number };
  readonly manyShards: {
    readonly parents: number;
    readonly recordsPerShard: number;
    readonly repetitions: number;
  };
}

const ITEM_BYTES = 1024;
const BATCH_SIZE = 100;

export const MODES: Record<BenchMode, ModeConfig> = {
  full: {
    mode: "full",
    itemBytes: ITEM_BYTES,
    drain: {
      items: 100_000,
      repetitions: 3,
      sinkLimitItems: 25_000,
      sinkLimitMinSeconds: 15,
      structured: true,
      batchSize: BATCH_SIZE,
    },
    latency: {
      writesPerSecond: 200,
      seconds: 30,
      repetitions: 3,
      idleSeconds: 10,
      pollIntervalsMs: [1000, 250],
    },
    memory: { backlog: 200_000, windowSeconds: 160, sinkDelayMs: 5, repetitions: 3 },
    manyShards: { parents: 1000, recordsPerShard: 5, repetitions: 3 },
    slowSink: { items: 10_000, sinkDelayMs: 5, repetitions: 3 },
  },
  quick: {
    mode: "quick",
    itemBytes: ITEM_BYTES,
    drain: {
      items: 20_000,
      repetitions: 1,
      sinkLimitItems: 5_000,
      sinkLimitMinSeconds: 1,
      structured: false,
      batchSize: BATCH_SIZE,
    },
    latency: {
      writesPerSecond: 200,
      seconds: 5,
      repetitions: 1,
      idleSeconds: 3,
      pollIntervalsMs: [1000, 250],
    },
    // The drain's backlog: the 10 s window delivers ~1.5k events into the slow sink, so no top-up is needed.
    memory: { backlog: 20_000, windowSeconds: 10, sinkDelayMs: 5, repetitions: 1 },
    manyShards: { parents: 1000, recordsPerShard: 5, repetitions: 1 },
    slowSink: { items: 1_000, sinkDelayMs: 5, repetitions: 1 },
  },
  smoke: {
    mode: "smoke",
    itemBytes: ITEM_BYTES,
    drain: {
      items: 500,
      repetitions: 1,
      sinkLimitItems: 500,
      sinkLimitMinSeconds: 1,
      structured: true,
      batchSize: BATCH_SIZE,
    },
    latency: {
      writesPerSecond: 50,
      seconds: 2,
      repetitions: 1,
      idleSeconds: 2,
      pollIntervalsMs: [1000, 250],
    },
    memory: { backlog: 1_000, windowSeconds: 3, sinkDelayMs: 5, repetitions: 1 },
    manyShards: { parents: 50, recordsPerShard: 3, repetitions: 1 },
    slowSink: { items: 200, sinkDelayMs: 5, repetitions: 1 },
  },
};
