import { Agent } from "undici";
import { createEventBuilder } from "../events/to-cloudevent";
import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { BatchDelivery } from "./batch-delivery";
import { HttpSink } from "./http-sink";
import { deliverInLanes } from "./lanes";
import { RecordDelivery } from "./record-delivery";
import { RetryPolicy } from "./retry-policy";
import type { DeliveryOptions, RecordDeliverer } from "./types";

/**
 * The poller's `RecordDeliverer`: CloudEvents over HTTP with Knative delivery semantics, in `parallelism` per-key
 * lanes, one event or one batch per request. One keep-alive connection pool per origin (undici Agent) is shared by
 * every shard and lane; throws at once on unusable options (bad URL, overrides).
 */
export function createDeliverer(
  options: DeliveryOptions,
  deps: { logger: Logger; metrics: Metrics },
): RecordDeliverer {
  const agent = new Agent();
  const sink = new HttpSink(options.sinkUrl, agent, options.timeoutMs);
  const policy = new RetryPolicy(options);
  const buildEvent = createEventBuilder(options);
  const records = new RecordDelivery({
    sink,
    deadLetterSink:
      options.deadLetterSinkUrl === undefined
        ? undefined
        : new HttpSink(options.deadLetterSinkUrl, agent, options.timeoutMs),
    policy,
    buildEvent,
    contentMode: options.contentMode,
    logger: deps.logger,
    metrics: deps.metrics,
  });
  const batch = options.batch;
  const lanes: Pick<RecordDelivery, "deliverLane"> =
    batch !== undefined && batch.maxEvents > 1
      ? new BatchDelivery({ sink, policy, buildEvent, records, options: batch, ...deps })
      : records;
  const laneCount = options.parallelism ?? 1;
  return {
    deliver(batchRecords, context, onSettled, signal) {
      return deliverInLanes(
        batchRecords,
        laneCount,
        (positions, settle, abort) => lanes.deliverLane(batchRecords, positions, context, settle, abort),
        onSettled,
        signal,
      );
    },
    close() {
      return agent.close();
    },
    pageFill:
      batch !== undefined && batch.maxEvents > 1 && batch.windowMs > 0
        ? { records: batch.maxEvents, windowMs: batch.windowMs }
        : undefined,
  };
}
