import { Agent } from "undici";
import { createEventBuilder } from "../events/to-cloudevent";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { HttpSink } from "./http-sink";
import { deliverInOrder } from "./in-order";
import { RecordDelivery } from "./record-delivery";
import { RetryPolicy } from "./retry-policy";
import type { DeliveryOptions, RecordDeliverer } from "./types";

/**
 * The poller's `RecordDeliverer`: CloudEvents over HTTP with Knative delivery semantics. One keep-alive connection
 * pool per origin (undici Agent) is shared by every shard; throws at once on unusable options (bad URL, overrides).
 */
export function createDeliverer(
  options: DeliveryOptions,
  deps: { logger: Logger; metrics: Metrics },
): RecordDeliverer {
  const agent = new Agent();
  const delivery = new RecordDelivery({
    sink: new HttpSink(options.sinkUrl, agent, options.timeoutMs),
    deadLetterSink:
      options.deadLetterSinkUrl === undefined
        ? undefined
        : new HttpSink(options.deadLetterSinkUrl, agent, options.timeoutMs),
    policy: new RetryPolicy(options),
    buildEvent: createEventBuilder(options),
    contentMode: options.contentMode,
    logger: deps.logger,
    metrics: deps.metrics,
  });
  return {
    deliver(records, context, onSettled, signal) {
      return deliverInOrder(
        records,
        (record, abort) => delivery.deliver(record, context, abort),
        onSettled,
        signal,
      );
    },
    close() {
      return agent.close();
    },
  };
}
