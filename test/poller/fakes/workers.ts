import type {
  DescribeStreamInput,
  GetRecordsInput,
  GetShardIteratorInput,
} from "@aws-sdk/client-dynamodb-streams";
import { Registry } from "prom-client";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import type { LeaseTable } from "../../../src/poller/lease/lease-table";
import { MemoryLeaseTable } from "../../../src/poller/lease/memory-lease-table";
import { createMetrics, type Metrics } from "../../../src/poller/ops/metrics";
import { Poller, type PollerSettings } from "../../../src/poller/poller";
import type { StreamsApi } from "../../../src/poller/stream/streams-api";
import { CapturingDeliverer } from "./fake-deliverer";
import { FakeStream, FakeStreamsApi, FakeTableApi } from "./fake-streams";
import { capturingLogger, FAST_TUNING, STREAM_ARN, testTable } from "./harness";

/** One GetRecords call as a worker made it: which shard, and when it started and ended. */
export interface ReadCall {
  readonly worker: string;
  readonly shardId: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A worker's view of the shared fake stream: every call goes to the same FakeStreamsApi, and each GetRecords is
 * logged with the worker that made it (iterators are mapped back to their shard), so a test can prove that no shard
 * was ever read by two workers at the same time.
 */
export class WorkerStreamsApi implements StreamsApi {
  private readonly shardOfIterator = new Map<string, string>();

  constructor(
    private readonly inner: FakeStreamsApi,
    private readonly worker: string,
    private readonly reads: ReadCall[],
  ) {}

  describeStream(input: DescribeStreamInput) {
    return this.inner.describeStream(input);
  }

  async getShardIterator(input: GetShardIteratorInput) {
    const out = await this.inner.getShardIterator(input);
    if (out.ShardIterator && input.ShardId) this.shardOfIterator.set(out.ShardIterator, input.ShardId);
    return out;
  }

  async getRecords(input: GetRecordsInput) {
    const shardId = this.shardOfIterator.get(input.ShardIterator ?? "") ?? "?";
    const start = performance.now();
    try {
      const out = await this.inner.getRecords(input);
      if (out.NextShardIterator) this.shardOfIterator.set(out.NextShardIterator, shardId);
      return out;
    } finally {
      this.reads.push({ worker: this.worker, shardId, start, end: performance.now() });
    }
  }
}

export interface Worker {
  readonly id: string;
  readonly deliverer: CapturingDeliverer;
  readonly metrics: Metrics;
  poller: Poller;
  running: Promise<void>;
}

/** Several pollers (replicas) on one fake stream, one checkpoint store and one in-memory lease table. */
export class Workers {
  readonly api = new FakeStreamsApi();
  readonly stream: FakeStream;
  readonly tableApi = new FakeTableApi();
  readonly store = new MemoryCheckpointStore();
  readonly leaseTable: MemoryLeaseTable;
  readonly reads: ReadCall[] = [];
  readonly all: Worker[] = [];
  readonly logs: Record<string, unknown>[][] = [];

  constructor(
    private readonly settings: Partial<PollerSettings> & {
      leaseDurationMs: number;
      renewIntervalMs?: number;
    },
    leaseTable?: (store: MemoryCheckpointStore) => MemoryLeaseTable,
  ) {
    this.stream = this.api.addStream(new FakeStream(STREAM_ARN));
    this.tableApi.setStream(STREAM_ARN);
    this.leaseTable = leaseTable ? leaseTable(this.store) : new MemoryLeaseTable(this.store);
  }

  /** One deliverer for every worker: its log is the order in which the "sink" saw the records. */
  readonly sink = new CapturingDeliverer();

  start(id: string, table: LeaseTable = this.leaseTable): Worker {
    const deliverer = this.sink;
    const metrics = createMetrics(new Registry());
    const { logger, lines } = capturingLogger();
    this.logs.push(lines);
    const { leaseDurationMs, renewIntervalMs, ...pollerSettings } = this.settings;
    const poller = new Poller(
      {
        tableApi: this.tableApi,
        streamsApi: new WorkerStreamsApi(this.api, id, this.reads),
        store: this.store,
        deliverer,
        logger: logger.child({ worker: id }),
        metrics,
        leasing: { table, settings: { workerId: id, leaseDurationMs, renewIntervalMs } },
      },
      { ...FAST_TUNING, table: testTable(), region: "us-east-1", ...pollerSettings },
    );
    const worker: Worker = { id, deliverer, metrics, poller, running: poller.run() };
    this.all.push(worker);
    return worker;
  }

  /** Every record delivered by any worker, as `shardId/sequenceNumber` (duplicates kept). */
  delivered(): string[] {
    return this.sink.delivered.map((d) => `${d.shardId}/${d.sequenceNumber}`);
  }

  /** Shards whose lease `workerId` holds in the table. */
  ownedBy(workerId: string): string[] {
    return [...this.stream.shards.keys()].filter(
      (id) => this.leaseTable.ownerOf(STREAM_ARN, id) === workerId,
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((w) => w.poller.stop()));
  }
}

/**
 * Every GetRecords must start while its worker holds the shard's lease: a tenure runs from the worker's take to the
 * next take or release of that shard by anyone. A read outside its worker's tenure means two workers could read the
 * shard at the same time (the new owner starts right after its take). Returns the violations.
 */
export function readsOutsideLease(
  reads: readonly ReadCall[],
  leaseLog: readonly { op: "take" | "release"; shardId: string; workerId: string; at: number }[],
): string[] {
  const tenures = new Map<string, { worker: string; from: number; to: number }[]>();
  for (const entry of leaseLog) {
    const list = tenures.get(entry.shardId) ?? [];
    const last = list[list.length - 1];
    if (last && last.to === Number.POSITIVE_INFINITY) last.to = entry.at;
    if (entry.op === "take")
      list.push({ worker: entry.workerId, from: entry.at, to: Number.POSITIVE_INFINITY });
    tenures.set(entry.shardId, list);
  }
  const problems: string[] = [];
  for (const read of reads) {
    const held = (tenures.get(read.shardId) ?? []).some(
      (t) => t.worker === read.worker && t.from <= read.start && read.start <= t.to,
    );
    if (!held)
      problems.push(`${read.worker} read ${read.shardId} at ${read.start.toFixed(1)} without its lease`);
  }
  return problems;
}
