import type { BenchMethod } from "./method";
import type { BenchMode } from "./modes";
import { median, round } from "./stats";

/** A figure measured once per repetition: the median is what is reported. */
export interface Figure {
  readonly median: number;
  readonly values: readonly number[];
  readonly unit: string;
}

export function figure(values: readonly number[], unit: string, digits = 0): Figure {
  return { median: round(median(values), digits), values: values.map((v) => round(v, digits)), unit };
}

/** One goal of the issue, next to what this run measured. */
export interface Goal {
  readonly scenario: string;
  readonly goal: string;
  readonly measured: string;
  /** null: this run cannot judge the goal (`measured` says why). */
  readonly met: boolean | null;
}

export interface DrainRow {
  /** One event a request in binary or structured mode, or CloudEvents batches of `batchSize` (BATCH_SIZE). */
  readonly contentMode: "binary" | "structured" | "batch";
  /** First to last event at the sink (process start-up excluded). */
  readonly poller: Figure;
  /**
   * The poller after its first WARM_UP_EVENTS events at the sink (null for drains shorter than that): warm code, as
   * the limits and the delivery side alone are timed. A diagnostic: the goals judge `poller`, the whole drain.
   */
  readonly pollerWarm: Figure | null;
  /** pollerWarm against the same limit as `efficiency`; null without pollerWarm. */
  readonly warmEfficiency: number | null;
  /** Process spawn to the last event (start-up, table lookup, checkpoint table check included). */
  readonly pollerEndToEnd: Figure;
  readonly sinkLimit: Figure;
  /** Poller process CPU (user + system) per event from the first event at the sink to the last (start-up left out). */
  readonly pollerCpuPerEventUs: Figure;
  /** The ideal client's CPU per event (per request in batch mode, divided by its events): posting alone. */
  readonly sinkLimitClientCpuPerEventUs: Figure;
  /**
   * The poller's delivery side alone (its deliverer, fed the same records already decoded, in a process of its own,
   * no reading): between the ideal client and the poller, it shows whether a gap is on the delivery or the read side.
   */
  readonly deliveryOnly: Figure;
  readonly deliveryOnlyCpuPerEventUs: Figure;
  /** The whole machine's CPU per event during the delivery-only run: its process, its sink, the kernel. */
  readonly deliveryOnlyMachineCpuPerEventUs: Figure;
  /**
   * The main thread's share of pollerCpuPerEventUs and deliveryOnlyCpuPerEventUs (/proc/<pid>/task/<pid>/stat): the
   * thread that runs the JavaScript, and the GC pauses on it. The rest is the process's other threads: V8's GC
   * and compiler workers, libuv's pool.
   */
  readonly pollerMainThreadCpuPerEventUs: Figure;
  readonly deliveryOnlyMainThreadCpuPerEventUs: Figure;
  /**
   * Garbage-collection pauses of the poller's thread per event (first event at the sink to the last, from its own
   * nodejs_gc_duration_seconds), and of the delivery side alone's (its timed passes). Both run with the image's
   * Node.js flags; the difference is what reading's allocations (GetRecords pages) add.
   */
  readonly pollerGcPausePerEventUs: Figure;
  readonly deliveryOnlyGcPausePerEventUs: Figure;
  /** What the row's goal asks of the machine's CPU (binary and batch rows; null for the others). */
  readonly goalCpuBudget: GoalCpuBudget | null;
  /**
   * Events/s if every event were read (raw read loop) and then delivered (delivery side alone) with no overlap at
   * all: 1 / (1/rawRead + 1/deliveryOnly), medians. A poller near it overlaps nothing; one near min(read, delivery)
   * overlaps everything.
   */
  readonly serialEstimate: number;
  /** Mean sink request duration as the poller measured it (its histogram), next to the ideal client's. */
  readonly pollerSinkRequestMs: Figure;
  /**
   * All cores busy (the poller, its sink, DynamoDB Local, the bench) from spawn to the last event: near 100%, the
   * machine's CPU is what limits the run, not a wait in the poller.
   */
  readonly machineCpuBusyPercent: Figure;
  /**
   * Share of the machine's time the hypervisor gave to other guests (steal) from spawn to the last event: CPU this
   * run did not get. The limits were measured at other moments; `sinkLimitStealPercent` is the ideal client's.
   */
  readonly pollerStealPercent: Figure;
  readonly sinkLimitStealPercent: Figure;
  /**
   * The drain's rate over its half-second windows with at most 1% steal (repetitions with under 2 s of them left
   * out; null if none had): the same drain while the machine was its own. A diagnostic: goals judge `poller`.
   */
  readonly pollerStealFree: Figure | null;
  /** The ideal client over its timed passes' steal-free seconds (null if they were under 2 s). */
  readonly sinkLimitStealFree: Figure | null;
  /**
   * pollerStealFree against min(raw read, raw sink), each over its own steal-free seconds where it had 2 s of them
   * (else as a whole): the efficiency with the hypervisor's share left out of both sides. Null when the poller or
   * the limiting side had too few steal-free seconds.
   */
  readonly stealFreeEfficiency: number | null;
  /** Mean request duration of the ideal client (a batch per request in batch mode). */
  readonly sinkLimitRequestMs: number;
  /** min(raw read, raw sink) of the same run. */
  readonly limit: number;
  readonly limitedBy: "read" | "sink";
  readonly efficiency: number;
  /** The poller against the raw read limit alone (batch mode's goal). */
  readonly ofRawRead: number;
  readonly complete: boolean;
  readonly missing: number;
  readonly duplicates: number;
}

/**
 * A drain goal's rate against the machine: reading a record and delivering its event cost at least what each costs
 * measured apart in the same run (the raw read loop with DynamoDB Local's share, the delivery side alone with its
 * sink's share), so at the goal's rate the two need at least `cores` of the machine's CPU. More than the machine
 * has means no overlap of reading and delivering can meet the goal here.
 */
export interface GoalCpuBudget {
  /** The rate the goal asks for, events/s. */
  readonly rate: number;
  /** Raw read loop's machine CPU per record plus the delivery side's machine CPU per event, medians. */
  readonly machineCpuPerEventUs: number;
  readonly cores: number;
  readonly machineCores: number;
}

export interface DrainResult {
  readonly items: number;
  readonly itemBytes: number;
  readonly repetitions: number;
  readonly preloadSeconds: number;
  /** BATCH_SIZE of the batch row. */
  readonly batchSize: number;
  readonly rawRead: Figure;
  /** All cores busy during the raw read loop (DynamoDB Local and one client: one core at a time, at most). */
  readonly rawReadMachineCpuBusyPercent: Figure;
  /** The whole machine's CPU per record during the raw read loop: DynamoDB Local's, the loop's, the kernel's. */
  readonly rawReadMachineCpuPerRecordUs: Figure;
  /** Share of the machine's time stolen by the hypervisor during the raw read loop. */
  readonly rawReadStealPercent: Figure;
  /** The raw read loop over its steal-free seconds (null if no repetition had 2 s of them). */
  readonly rawReadStealFree: Figure | null;
  /**
   * The raw read loop's own CPU per record (the SDK's requests and its decoding of the answers): what reading costs
   * the poller's thread, DynamoDB Local's work left out.
   */
  readonly rawReadClientCpuPerRecordUs: Figure;
  /**
   * The same loop with the SDK's stock client instead of the poller's (no Streams-specific GetRecords reader): what
   * that reader gains. The ratios use `rawRead`, the loop with the poller's own client: the stricter limit.
   */
  readonly rawReadStockSdk: Figure;
  readonly rawReadStockSdkClientCpuPerRecordUs: Figure;
  readonly rows: readonly DrainRow[];
  readonly invalidEvents: readonly string[];
}

export interface LatencyRow {
  readonly pollIntervalMs: number;
  readonly writesPerSecond: number;
  readonly seconds: number;
  /** Events measured, all repetitions: fewer than planned when DynamoDB Local slowed the writer down. */
  readonly events: number;
  readonly p50: Figure;
  readonly p90: Figure;
  readonly p99: Figure;
  readonly max: Figure;
  /** GetRecords calls per shard per second with no writes: the idle cost. */
  readonly idleGetRecordsPerShardPerSecond: Figure;
  /** How far behind schedule the writer fell at worst (the machine is shared: a sign of CPU starvation). */
  readonly writerMaxLagMs: number;
  /** Mean sink request duration seen by the poller (its own histogram): one event at a time per shard. */
  readonly sinkRequestMeanMs: Figure;
  readonly complete: boolean;
  readonly missing: number;
}

export interface LatencyResult {
  readonly rows: readonly LatencyRow[];
}

export interface MemoryResult {
  readonly backlog: number;
  readonly sinkDelayMs: number;
  readonly windowSeconds: number;
  readonly peakRssMb: Figure;
  /** The first half of the window: start-up growth and the first major-GC cycle (warm-up). */
  readonly firstHalfRssMb: Figure;
  /** The second half: the steady state. */
  readonly steadyRssMb: Figure;
  /** Medians of the steady half's first and last quarters. */
  readonly steadyStartRssMb: Figure;
  readonly steadyEndRssMb: Figure;
  readonly flatMarginMb: number;
  /**
   * The steady half grew by at most `flatMarginMb` (last quarter against third) in every repetition. null: the
   * window is shorter than two GC cycles (quick, smoke), so flatness is not judged from RSS.
   */
  readonly flat: boolean | null;
  /** The most records read but not yet settled at any metrics scrape in the window: what backpressure bounds. */
  readonly heldRecordsMax: number;
  /** Two pages per shard: the one being delivered and the one prefetched. */
  readonly heldRecordsBound: number;
  readonly bounded: boolean;
  readonly deliveredInWindow: Figure;
  readonly samples: number;
  /** V8 heap in use at the end of the window (the poller's nodejs_heap_size_used_bytes). */
  readonly heapUsedAtEndMb: Figure;
  /** RSS falls of more than 4 MB within 200 ms: major GCs returning memory (a sawtooth, not a leak). */
  readonly gcDropsInWindow: Figure;
  /** First repetition, one point a second: [seconds since spawn, MB]. */
  readonly series: readonly (readonly [number, number])[];
}

export interface ManyShardsResult {
  readonly shards: number;
  readonly parents: number;
  readonly recordsPerShard: number;
  /** Until every shard (children after their parents) delivered its first record. */
  readonly allShardsStartedSeconds: Figure;
  readonly allRecordsDeliveredSeconds: Figure;
  readonly describeStreamCalls: Figure;
  readonly describeStreamPerSecondAverage: Figure;
  /** The most DescribeStream calls in any sliding 1 s window. */
  readonly describeStreamPerSecondPeak: Figure;
  readonly stalledShards: number;
  readonly lineageOrderHeld: boolean;
  readonly complete: boolean;
}

export interface SlowSinkRow {
  readonly setting: string;
  readonly eventsPerSecond: Figure;
  readonly complete: boolean;
  /** Median events/s relative to the default (one event at a time). */
  readonly speedup?: number;
}

export interface SlowSinkResult {
  readonly items: number;
  readonly sinkDelayMs: number;
  readonly rows: readonly SlowSinkRow[];
}

export interface BenchResults {
  readonly schema: 1;
  readonly mode: BenchMode;
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: {
    readonly cores: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
    readonly loadAverage: { readonly start: number; readonly end: number };
  };
  readonly build: string;
  /** The sizes, limits and steal rules the figures were measured with. */
  readonly method: BenchMethod;
  readonly scenarios: {
    readonly drain: DrainResult;
    readonly latency: LatencyResult;
    readonly memory: MemoryResult;
    readonly manyShards: ManyShardsResult;
    readonly slowSink: SlowSinkResult;
  };
  readonly goals: readonly Goal[];
  /** False when any scenario lost, duplicated into the wrong place or failed to deliver events. */
  readonly complete: boolean;
  readonly problems: readonly string[];
}
