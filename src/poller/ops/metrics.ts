import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric the poller exports, in one registry. Names follow Prometheus conventions: a `dynamodb_source_`
 * prefix, `_total` for counters, base units (seconds) in the name.
 */
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsDelivered: new Counter({
      name: "dynamodb_source_events_delivered_total",
      help: "CloudEvents the sink acknowledged with a 2xx.",
      labelNames: ["operation"] as const,
      registers,
    }),
    deliveryAttemptsFailed: new Counter({
      name: "dynamodb_source_delivery_failures_total",
      help: "Failed delivery attempts (each retry counts), by reason (status code, timeout, network).",
      labelNames: ["reason"] as const,
      registers,
    }),
    eventsDeadLettered: new Counter({
      name: "dynamodb_source_events_dead_lettered_total",
      help: "Events sent to DEAD_LETTER_SINK after a non-retryable answer or exhausted retries.",
      registers,
    }),
    eventsDropped: new Counter({
      name: "dynamodb_source_events_dropped_total",
      help: "Events given up without a dead-letter sink (each one is also logged at error level).",
      labelNames: ["reason"] as const,
      registers,
    }),
    sinkLatency: new Histogram({
      name: "dynamodb_source_sink_request_duration_seconds",
      help: "Duration of HTTP requests to the sink.",
      labelNames: ["outcome"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchesSent: new Counter({
      name: "dynamodb_source_batches_sent_total",
      help: "CloudEvents batches sent to the sink (batch mode), by result after retries (delivered, failed: then split).",
      labelNames: ["result"] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: "dynamodb_source_batch_size_events",
      help: "Events per batch sent to the sink (batch mode; the halves of a split batch count again).",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    }),
    batchSplits: new Counter({
      name: "dynamodb_source_batch_splits_total",
      help: "Refused batches split in halves to isolate the event the sink refuses.",
      registers,
    }),
    getRecordsCalls: new Counter({
      name: "dynamodb_source_get_records_calls_total",
      help: "GetRecords calls (the billed unit of DynamoDB Streams), by whether they returned records.",
      labelNames: ["result"] as const,
      registers,
    }),
    getRecordsEarly: new Counter({
      name: "dynamodb_source_get_records_early_total",
      help: "GetRecords calls sent before the page before them was decoded, by outcome (used, or dropped: the decoded page named another iterator, or did not come).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    awsErrors: new Counter({
      name: "dynamodb_source_aws_errors_total",
      help: "Errors from AWS calls, by operation and error name.",
      labelNames: ["operation", "error"] as const,
      registers,
    }),
    recordsRead: new Counter({
      name: "dynamodb_source_records_read_total",
      help: "Stream records read from GetRecords.",
      registers,
    }),
    recordsFiltered: new Counter({
      name: "dynamodb_source_records_filtered_total",
      help: "Stream records that matched no FILTER pattern: checkpointed without being sent.",
      registers,
    }),
    recordsLost: new Counter({
      name: "dynamodb_source_records_lost_total",
      help: "Times records may have been lost because the stream trimmed them before they were read (each also logged with shard and range).",
      labelNames: ["reason"] as const,
      registers,
    }),
    iteratorAge: new Gauge({
      name: "dynamodb_source_iterator_age_seconds",
      help: "Age of the newest record read, per shard: how far behind the poller is.",
      labelNames: ["shard"] as const,
      registers,
    }),
    shards: new Gauge({
      name: "dynamodb_source_shards",
      help: "Shards known to the poller, by state (reading, blocked_on_parent, finished).",
      labelNames: ["state"] as const,
      registers,
    }),
    checkpointWrites: new Counter({
      name: "dynamodb_source_checkpoint_writes_total",
      help: "Checkpoint writes, by result.",
      labelNames: ["result"] as const,
      registers,
    }),
    leases: new Gauge({
      name: "dynamodb_source_leases",
      help: "Shard leases this replica holds, by state (held, shedding: being handed back toward fair share).",
      labelNames: ["state"] as const,
      registers,
    }),
    leaseOperations: new Counter({
      name: "dynamodb_source_lease_operations_total",
      help: "Lease operations (heartbeat, list, take, release, shed, lost), by result.",
      labelNames: ["op", "result"] as const,
      registers,
    }),
    describeStreamCalls: new Counter({
      name: "dynamodb_source_describe_stream_calls_total",
      help: "DescribeStream calls (rate-limited below 10/s).",
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
