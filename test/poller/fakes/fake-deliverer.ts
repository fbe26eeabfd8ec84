import type {
  DeliveryOutcome,
  RecordDeliverer,
  ShardContext,
  StreamRecord,
} from "../../../src/poller/delivery/types";

export interface Delivered {
  readonly shardId: string;
  readonly streamArn: string;
  readonly sequenceNumber: string;
  readonly key: string;
  readonly eventName?: string;
}

/**
 * Records every event it "delivers". By default each record settles at once, in order. `stallAt(seq)` makes a
 * delivery hang at that record until the abort signal fires (a sink that never answers); `failBatches` rejects
 * the next batches without settling (a deliverer bug the reader must recover from).
 */
export class CapturingDeliverer implements RecordDeliverer {
  readonly delivered: Delivered[] = [];
  readonly batches: { shardId: string; size: number }[] = [];
  private stallSequence: string | undefined;
  private failBatches = 0;
  /** Resolves when a delivery starts stalling. */
  stalled: Promise<void>;
  private markStalled: () => void = () => {};
  closed = false;
  /** Each batch takes this long (a sink with latency), so that shards build a backlog. */
  batchDelayMs = 0;

  constructor() {
    this.stalled = new Promise((resolve) => {
      this.markStalled = resolve;
    });
  }

  /** Deliveries hang at this record until the abort signal fires, or until `release()`. */
  stallAt(sequenceNumber: string): void {
    this.stallSequence = sequenceNumber;
  }

  /** Lets a stalled delivery go on (a slow sink that finally answers). */
  release(): void {
    this.stallSequence = undefined;
    this.releaseStall();
  }

  /** Whether a delivery saw its signal aborted (shutdown deadline passed). */
  sawAbort = false;
  private releaseStall: () => void = () => {};

  failNextBatches(count: number): void {
    this.failBatches = count;
  }

  async deliver(
    records: readonly StreamRecord[],
    context: ShardContext,
    onSettled: (record: StreamRecord, outcome: DeliveryOutcome) => void,
    signal: AbortSignal,
  ): Promise<void> {
    this.batches.push({ shardId: context.shardId, size: records.length });
    if (this.batchDelayMs > 0) await new Promise((r) => setTimeout(r, this.batchDelayMs));
    if (this.failBatches > 0) {
      this.failBatches--;
      throw new Error("fake deliverer failure");
    }
    for (const record of records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? "";
      if (sequenceNumber === this.stallSequence) {
        this.markStalled();
        await new Promise<void>((resolve, reject) => {
          const fail = () => {
            this.sawAbort = true;
            reject(signal.reason ?? new Error("aborted"));
          };
          if (signal.aborted) fail();
          signal.addEventListener("abort", fail, { once: true });
          this.releaseStall = () => {
            signal.removeEventListener("abort", fail);
            resolve();
          };
        });
      }
      this.delivered.push({
        shardId: context.shardId,
        streamArn: context.streamArn,
        sequenceNumber,
        key: record.dynamodb?.Keys?.pk?.S ?? "",
        eventName: record.eventName,
      });
      onSettled(record, "delivered");
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  sequenceNumbers(shardId?: string): string[] {
    return this.delivered.filter((d) => !shardId || d.shardId === shardId).map((d) => d.sequenceNumber);
  }
}
