import type {
  DeliveryOutcome,
  RecordDeliverer,
  ShardContext,
  StreamRecord,
} from "../../src/poller/delivery/types";

interface ShardTally {
  delivered: number;
  /** Global delivery index of this shard's first and last record: checks parents end before children start. */
  firstIndex: number;
  lastIndex: number;
  firstAt: number;
}

/** Settles every record at once and counts per shard: the many-shards scenario measures the stream side only. */
export class CountingDeliverer implements RecordDeliverer {
  readonly shards = new Map<string, ShardTally>();
  total = 0;
  /** performance.now() when the last shard delivered its first record. */
  allStartedAt = Number.NaN;

  constructor(private readonly expectedShards: number) {}

  async deliver(
    records: readonly StreamRecord[],
    context: ShardContext,
    onSettled: (record: StreamRecord, outcome: DeliveryOutcome) => void,
  ): Promise<void> {
    let tally = this.shards.get(context.shardId);
    if (!tally) {
      tally = { delivered: 0, firstIndex: this.total, lastIndex: this.total, firstAt: performance.now() };
      this.shards.set(context.shardId, tally);
      if (this.shards.size === this.expectedShards) this.allStartedAt = tally.firstAt;
    }
    for (const record of records) {
      tally.delivered++;
      tally.lastIndex = this.total++;
      onSettled(record, "delivered");
    }
  }

  async close(): Promise<void> {}
}
