import type { EventBuilder, RecordEvent } from "../events/to-cloudevent";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { type AttemptFailure, describeFailure } from "./attempt";
import { createAttemptObserver } from "./attempt-observer";
import { toDeadLetterEvent } from "./dead-letter";
import { type OutgoingMessage, toOutgoingMessage } from "./http-message";
import type { HttpSink } from "./http-sink";
import type { Settle } from "./lanes";
import type { RetryPolicy } from "./retry-policy";
import { sendWithRetries } from "./send-with-retries";
import type { ContentMode, DeliveryOutcome, ShardContext, StreamRecord } from "./types";
import { whileSending } from "./while-sending";

export interface RecordDeliveryDeps {
  readonly sink: HttpSink;
  readonly deadLetterSink?: HttpSink;
  readonly policy: RetryPolicy;
  readonly buildEvent: EventBuilder;
  readonly contentMode: ContentMode;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** A record's event and request, or why it cannot become one (dropped as malformed when its turn comes). */
type Prepared =
  | { readonly event: RecordEvent; readonly message: OutgoingMessage }
  | { readonly error: unknown };

/** Why an event was given up without reaching any sink (the `reason` label of `events_dropped_total`). */
export type DropReason = "rejected" | "retries_exhausted" | "dead_letter_failed" | "malformed_record";

/**
 * Takes one record to a terminal outcome: sink (with retries) → dead-letter sink (same retries) → dropped, logged
 * and counted. Independent of ordering, so the lane scheduler calls it as is; batch delivery reuses its give-up path
 * for an event that bisection isolated. Rejects only on abort.
 */
export class RecordDelivery {
  constructor(private readonly deps: RecordDeliveryDeps) {}

  /**
   * One lane of a shard's batch: its records one at a time, in order. Each event is built while the one before it is
   * on the wire, so building is off the critical path of a sequential lane. Rejects only on abort.
   */
  async deliverLane(
    records: readonly StreamRecord[],
    positions: readonly number[],
    context: ShardContext,
    settle: Settle,
    signal: AbortSignal,
  ): Promise<void> {
    const prepareAt = (i: number): Prepared | undefined => {
      const record = records[positions[i] ?? -1];
      return record === undefined ? undefined : this.prepare(record, context);
    };
    let upcoming = prepareAt(0);
    for (let i = 0; i < positions.length; i++) {
      signal.throwIfAborted();
      const position = positions[i] as number;
      const record = records[position];
      const prepared = upcoming;
      if (record === undefined || prepared === undefined) {
        upcoming = prepareAt(i + 1);
        continue;
      }
      const [outcome, next] = await Promise.all([
        this.send(record, prepared, context, signal),
        i + 1 < positions.length ? whileSending(() => prepareAt(i + 1)) : undefined,
      ]);
      upcoming = next;
      settle(position, outcome);
    }
  }

  /** The record's event and request, built once; a record that cannot become an event says why instead. */
  private prepare(record: StreamRecord, context: ShardContext): Prepared {
    try {
      const event = this.deps.buildEvent(record, context);
      return { event, message: toOutgoingMessage(event, this.deps.contentMode) };
    } catch (error) {
      return { error };
    }
  }

  private async send(
    record: StreamRecord,
    prepared: Prepared,
    context: ShardContext,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    if ("error" in prepared) return this.dropMalformed(record, context, prepared.error);
    const { deps } = this;
    const observer = createAttemptObserver(deps, logFields(record, context), true);
    const sent = await sendWithRetries(deps.sink, prepared.message, deps.policy, signal, observer);
    if (sent.delivered) {
      this.countDelivered(record);
      return "delivered";
    }
    return this.giveUp(record, prepared.event, context, sent, signal);
  }

  /** The sink acknowledged `record`'s event (alone or in a batch). */
  countDelivered(record: StreamRecord): void {
    this.deps.metrics.eventsDelivered.inc({ operation: record.eventName ?? "UNKNOWN" });
  }

  /**
   * The sink refused `event` for good (a final answer, or retries exhausted): the dead-letter sink (same retries)
   * if there is one, else dropped, logged and counted. Rejects only on abort.
   */
  async giveUp(
    record: StreamRecord,
    event: RecordEvent,
    context: ShardContext,
    sent: { readonly failure: AttemptFailure; readonly attempts: number },
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const { deps } = this;
    const reason: DropReason = deps.policy.isRetryable(sent.failure) ? "retries_exhausted" : "rejected";
    const fields = {
      ...logFields(record, context),
      attempts: sent.attempts,
      failure: describeFailure(sent.failure),
    };
    if (deps.deadLetterSink === undefined) return this.drop(reason, fields);
    return this.deadLetter(event, sent.failure, deps.deadLetterSink, fields, signal);
  }

  /** A record that cannot become an event (no id, no operation) is dropped at once: no sink could take it. */
  dropMalformed(record: StreamRecord, context: ShardContext, error: unknown): DeliveryOutcome {
    return this.drop("malformed_record", { ...logFields(record, context), err: error });
  }

  private async deadLetter(
    event: RecordEvent,
    failure: AttemptFailure,
    deadLetterSink: HttpSink,
    fields: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const { deps } = this;
    const letter = toOutgoingMessage(toDeadLetterEvent(event, failure, deps.sink.url), deps.contentMode);
    const observer = createAttemptObserver(deps, { ...fields, target: "dead-letter-sink" }, false);
    const sent = await sendWithRetries(deadLetterSink, letter, deps.policy, signal, observer);
    if (!sent.delivered) {
      return this.drop("dead_letter_failed", { ...fields, deadLetterFailure: describeFailure(sent.failure) });
    }
    deps.metrics.eventsDeadLettered.inc();
    deps.logger.warn(fields, "event sent to the dead-letter sink");
    return "dead-lettered";
  }

  private drop(reason: DropReason, fields: Record<string, unknown>): DeliveryOutcome {
    this.deps.metrics.eventsDropped.inc({ reason });
    this.deps.logger.error(
      { ...fields, reason },
      "event dropped: not delivered to the sink nor to a dead-letter sink",
    );
    return "dropped";
  }
}

function logFields(record: StreamRecord, context: ShardContext): Record<string, unknown> {
  return {
    eventId: record.eventID,
    shardId: context.shardId,
    sequenceNumber: record.dynamodb?.SequenceNumber,
  };
}
