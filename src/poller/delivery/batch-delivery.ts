import type { EventBuilder } from "../events/to-cloudevent";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { describeFailure } from "./attempt";
import { createAttemptObserver } from "./attempt-observer";
import { type BatchEntry, batchBodyBytes, batchMessage, toBatchEntry } from "./batch-message";
import type { HttpSink } from "./http-sink";
import type { Settle } from "./lanes";
import type { RecordDelivery } from "./record-delivery";
import type { RetryPolicy } from "./retry-policy";
import { sendWithRetries } from "./send-with-retries";
import type { BatchOptions, ShardContext, StreamRecord } from "./types";
import { whileSending } from "./while-sending";

export interface BatchDeliveryDeps {
  readonly sink: HttpSink;
  readonly policy: RetryPolicy;
  readonly buildEvent: EventBuilder;
  /** The single-event path: its give-up (dead-letter sink, else drop) takes an event that bisection isolated. */
  readonly records: RecordDelivery;
  readonly options: BatchOptions;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * CloudEvents batch mode for one lane: consecutive records of the lane go out as `application/cloudevents-batch+json`
 * requests of at most `maxEvents` events and `maxBytes` bytes (an event bigger than that goes alone), one batch at
 * a time, so a lane's order holds across batches. A batch the sink refuses for good (after the retries, or a final
 * answer such as 400) is split in halves, first half first, down to the event it refuses, which then takes the
 * single-event give-up path: dead-letter sink, else dropped, logged and counted. The other events are delivered.
 */
export class BatchDelivery {
  constructor(private readonly deps: BatchDeliveryDeps) {}

  /** Each batch is built while the one before it is on the wire (see whileSending). Rejects only on abort. */
  async deliverLane(
    records: readonly StreamRecord[],
    positions: readonly number[],
    context: ShardContext,
    settle: Settle,
    signal: AbortSignal,
  ): Promise<void> {
    const { maxEvents, maxBytes } = this.deps.options;
    let cursor = 0;
    /** The entry that did not fit the batch before: it starts the next one. */
    let carried: BatchEntry | undefined;
    const nextEntry = (): BatchEntry | undefined => {
      while (cursor < positions.length) {
        const position = positions[cursor++] as number;
        const record = records[position];
        const entry = record === undefined ? undefined : this.entryFor(position, record, context, settle);
        if (entry !== undefined) return entry;
      }
      return undefined;
    };
    const nextBatch = (): BatchEntry[] => {
      const batch: BatchEntry[] = [];
      let eventBytes = 0;
      for (let entry = carried ?? nextEntry(); entry !== undefined; entry = nextEntry()) {
        carried = undefined;
        const full =
          batch.length >= maxEvents || batchBodyBytes(batch.length + 1, eventBytes + entry.bytes) > maxBytes;
        if (batch.length > 0 && full) {
          carried = entry;
          break;
        }
        batch.push(entry);
        eventBytes += entry.bytes;
      }
      return batch;
    };
    for (let batch = nextBatch(); batch.length > 0; ) {
      const [, upcoming] = await Promise.all([
        this.send(batch, 0, batch.length, context, settle, signal),
        whileSending(nextBatch),
      ]);
      batch = upcoming;
    }
  }

  /** The record's batch entry, or undefined after dropping a record that cannot become an event. */
  private entryFor(
    position: number,
    record: StreamRecord,
    context: ShardContext,
    settle: Settle,
  ): BatchEntry | undefined {
    try {
      return toBatchEntry(position, record, this.deps.buildEvent(record, context));
    } catch (error) {
      settle(position, this.deps.records.dropMalformed(record, context, error));
      return undefined;
    }
  }

  /** Sends `entries[from, to)` as one batch with retries; on a final failure, bisects. Rejects only on abort. */
  private async send(
    entries: readonly BatchEntry[],
    from: number,
    to: number,
    context: ShardContext,
    settle: Settle,
    signal: AbortSignal,
  ): Promise<void> {
    const { deps } = this;
    const count = to - from;
    const fields = batchFields(entries, from, to, context);
    deps.metrics.batchSize.observe(count);
    const observer = createAttemptObserver(deps, fields, true);
    const sent = await sendWithRetries(
      deps.sink,
      batchMessage(entries, from, to),
      deps.policy,
      signal,
      observer,
    );
    deps.metrics.batchesSent.inc({ result: sent.delivered ? "delivered" : "failed" });
    if (sent.delivered) {
      for (let i = from; i < to; i++) {
        const entry = entries[i];
        if (entry === undefined) continue;
        deps.records.countDelivered(entry.record);
        settle(entry.position, "delivered");
      }
      return;
    }
    if (count === 1) {
      const entry = entries[from];
      if (entry === undefined) return;
      settle(entry.position, await deps.records.giveUp(entry.record, entry.event, context, sent, signal));
      return;
    }
    deps.metrics.batchSplits.inc();
    deps.logger.warn(
      { ...fields, failure: describeFailure(sent.failure) },
      "batch refused; splitting it in halves to isolate the event the sink refuses",
    );
    const middle = from + Math.ceil(count / 2);
    await this.send(entries, from, middle, context, settle, signal);
    await this.send(entries, middle, to, context, settle, signal);
  }
}

function batchFields(
  entries: readonly BatchEntry[],
  from: number,
  to: number,
  context: ShardContext,
): Record<string, unknown> {
  return {
    shardId: context.shardId,
    events: to - from,
    firstSequenceNumber: entries[from]?.record.dynamodb?.SequenceNumber,
    lastSequenceNumber: entries[to - 1]?.record.dynamodb?.SequenceNumber,
  };
}
