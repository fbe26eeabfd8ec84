/**
 * The poller's environment contract: the names the component writes into the Deployment and the poller reads.
 * Keeping them in one place makes a renamed variable a compile error on both sides.
 */

/** Where a consumer that has never checkpointed starts reading the shards that are open at its first start. */
export enum StartingPosition {
  Latest = "LATEST",
  TrimHorizon = "TRIM_HORIZON",
}

/** Shape of the CloudEvent `data`. */
export enum DataFormat {
  /** The record as the DynamoDB Streams API and Lambda deliver it (camelCase, typed AttributeValues). */
  Aws = "aws",
  /** TriggerMesh's PascalCase shape, for drop-in migration from AWSDynamoDBSource. */
  TriggerMesh = "triggermesh",
  /** Keys and images as plain JSON values. */
  Plain = "plain",
}

/** HTTP content mode of the CloudEvents binding (`CE_CONTENT_MODE`). */
export enum ContentMode {
  Binary = "binary",
  Structured = "structured",
}

/** Knative `delivery.backoffPolicy`. */
export enum BackoffPolicy {
  Exponential = "exponential",
  Linear = "linear",
}

export const ENV = {
  tableArn: "ARN",
  sink: "K_SINK",
  ceOverrides: "K_CE_OVERRIDES",
  region: "AWS_REGION",
  assumeRoleArn: "AWS_ASSUME_ROLE_ARN",
  startingPosition: "STARTING_POSITION",
  checkpointTable: "CHECKPOINT_TABLE",
  checkpointTableCreate: "CHECKPOINT_TABLE_CREATE",
  consumerName: "CONSUMER_NAME",
  dataFormat: "DATA_FORMAT",
  pollInterval: "POLL_INTERVAL",
  deliveryRetry: "DELIVERY_RETRY",
  deliveryBackoffPolicy: "DELIVERY_BACKOFF_POLICY",
  deliveryBackoffDelay: "DELIVERY_BACKOFF_DELAY",
  deliveryTimeout: "DELIVERY_TIMEOUT",
  deadLetterSink: "DEAD_LETTER_SINK",
  healthPort: "HEALTH_PORT",
  metricsPort: "METRICS_PORT",
  logLevel: "LOG_LEVEL",
  namespace: "NAMESPACE",
  name: "NAME",
  progressTimeout: "PROGRESS_TIMEOUT",
  contentMode: "CE_CONTENT_MODE",
  /** Event-pattern filter (EventBridge syntax): a JSON pattern or an array of up to 10 patterns. */
  filter: "FILTER",
  /** Per-key ordered delivery lanes per shard (1-10). */
  parallelism: "PARALLELISM",
  /** CloudEvents batch mode: events per batch (unset or 1 = no batching). */
  batchSize: "BATCH_SIZE",
  batchMaxBytes: "BATCH_MAX_BYTES",
  batchWindow: "BATCH_WINDOW",
  /** Shard leases (scale-out): how long a lease lasts without renewal. */
  leaseDuration: "LEASE_DURATION",
  /** This replica's identity in leases (default: HOSTNAME, the pod name). */
  workerId: "WORKER_ID",
} as const;

export const DEFAULT_HEALTH_PORT = 8080;
export const DEFAULT_METRICS_PORT = 9092;
