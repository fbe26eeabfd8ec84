import type { EventBuilder, RecordEvent } from "../events/to-cloudevent";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { type AttemptFailure, describeFailure, failureReason } from "./attempt";
import { toDeadLetterEvent } from "./dead-letter";
import { type OutgoingMessage, toOutgoingMessage } from "./http-message";
import type { HttpSink } from "./http-sink";
import type { RetryPolicy } from "./retry-policy";
import { type AttemptObserver, sendWithRetries } from "./send-with-retries";
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
 * and counted. Independent of ordering, so a per-key lane scheduler can call it as is. Rejects only on abort.
 */
export class RecordDelivery {
  constructor(private readonly deps: RecordDeliveryDeps) {}

  async deliver(record: StreamRecord, context: ShardContext, signal: AbortSignal): Promise<DeliveryOutcome> {
    const { deps } = this;
    const fields = logFields(record, context);
    let event: RecordEvent;
    let message: OutgoingMessage;
    try {
      event = deps.buildEvent(record, context);
      message = toOutgoingMessage(event, deps.contentMode);
    } catch (error) {
      return this.drop("malformed_record", { ...fields, err: error });
    }

    const sent = await sendWithRetries(deps.sink, message, deps.policy, signal, this.observer(fields, true));
    if (sent.delivered) {
      deps.metrics.eventsDelivered.inc({ operation: record.eventName ?? "UNKNOWN" });
      return "delivered";
    }
    const reason: DropReason = deps.policy.isRetryable(sent.failure) ? "retries_exhausted" : "rejected";
    const failed = { ...fields, attempts: sent.attempts, failure: describeFailure(sent.failure) };
    if (deps.deadLetterSink === undefined) return this.drop(reason, failed);
    return this.deadLetter(event, sent.failure, deps.deadLetterSink, failed, signal);
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
    const observer = this.observer({ ...fields, target: "dead-letter-sink" }, false);
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

  private observer(fields: Record<string, unknown>, isSink: boolean): AttemptObserver {
    const { metrics, logger } = this.deps;
    return {
      attemptSucceeded(seconds) {
        if (isSink) metrics.sinkLatency.observe({ outcome: "success" }, seconds);
      },
      attemptFailed(failure, attempt, seconds, willRetry, waitMs) {
        const reason = failureReason(failure);
        metrics.deliveryAttemptsFailed.inc({ reason });
        if (isSink) metrics.sinkLatency.observe({ outcome: reason }, seconds);
        logger.warn(
          {
            ...fields,
            attempt,
            failure: describeFailure(failure),
            retryInMs: willRetry ? waitMs : undefined,
          },
          willRetry ? "delivery attempt failed, will retry" : "delivery attempt failed",
        );
      },
    };
  }
}

function logFields(record: StreamRecord, context: ShardContext): Record<string, unknown> {
  return {
    eventId: record.eventID,
    shardId: context.shardId,
    sequenceNumber: record.dynamodb?.SequenceNumber,
  };
}
