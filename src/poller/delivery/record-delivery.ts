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

export interface RecordDeliveryDeps {
  readonly sink: HttpSink;
  readonly deadLetterSink?: HttpSink;
  readonly policy: RetryPolicy;
  readonly buildEvent: EventBuilder;
  readonly contentMode: ContentMode;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Why an event was given up without reaching any sink (the `reason` label of `events_dropped_total`). */
export type DropReason = "rejected" | "retries_exhausted" | "dead_letter_failed" | "malformed_record";

/**
 * Takes one record to a terminal outcome: sink (with retries) → dead-letter sink (same retries) → dropped, logged
 * and counted. Independent of ordering, so the lane scheduler calls it as is; batch delivery reuses its give-up path
 * for an event that bisection isolated. Rejects only on abort.
 */
export class RecordDelivery {
  constructor(private readonly deps: RecordDeliveryDeps) {}

  async deliver(record: StreamRecord, context: ShardContext, signal: AbortSignal): Promise<DeliveryOutcome> {
    const { deps } = this;
    let event: RecordEvent;
    let message: OutgoingMessage;
    try {
      event = deps.buildEvent(record, context);
      message = toOutgoingMessage(event, deps.contentMode);
    } catch (error) {
      return this.dropMalformed(record, context, error);
    }
    const fields = logFields(record, context);
    const sent = await sendWithRetries(
      deps.sink,
      message,
      deps.policy,
      signal,
      createAttemptObserver(deps, fields, true),
    );
    if (sent.delivered) {
      this.countDelivered(record);
      return "delivered";
    }
    return this.giveUp(record, event, context, sent, signal);
  }

  /** One lane of a shard's batch: its records one at a time, in order. Rejects only on abort. */
  async deliverLane(
    records: readonly StreamRecord[],
    positions: readonly number[],
    context: ShardContext,
    settle: Settle,
    signal: AbortSignal,
  ): Promise<void> {
    for (const position of positions) {
      signal.throwIfAborted();
      const record = records[position];
      if (record !== undefined) settle(position, await this.deliver(record, context, signal));
    }
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
