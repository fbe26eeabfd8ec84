/**
 * Bounds the poller enforces at start-up. Shared so the component rejects the same values at `pulumi preview`
 * instead of deploying a pod that crash-loops on them.
 */

/** GetRecords is billed per call: below this an idle shard would cost more than it could ever save in latency. */
export const MIN_POLL_INTERVAL_MS = 10;
/** Shard iterators expire after 15 minutes; an idle wait must stay well below that. */
export const MAX_POLL_INTERVAL_MS = 5 * 60_000;
/** Readiness needs time to see progress: shorter windows flap. */
export const MIN_PROGRESS_TIMEOUT_MS = 1_000;
export const MAX_DELIVERY_RETRY = 1000;

export const POLL_INTERVAL_RANGE_HINT =
  "use 10 ms to 5 min (each GetRecords is billed; shard iterators expire after 15 min)";

/** PARALLELISM: per-key lanes per shard, as many as Lambda's ParallelizationFactor allows. */
export const MAX_PARALLELISM = 10;
/** BATCH_SIZE: a GetRecords page holds at most 1000 records, so a batch never could hold more. */
export const MAX_BATCH_SIZE = 1000;
/** BATCH_MAX_BYTES default: 1 MiB fits the common broker limits (Kafka's default message size is ~1 MB). */
export const DEFAULT_BATCH_MAX_BYTES = 1024 * 1024;
export const MIN_BATCH_MAX_BYTES = 1024;
export const MAX_BATCH_MAX_BYTES = 64 * 1024 * 1024;
/** BATCH_WINDOW: the added latency stays bounded, like Lambda's MaximumBatchingWindowInSeconds (5 min). */
export const MAX_BATCH_WINDOW_MS = 5 * 60_000;

export const PARALLELISM_RANGE_HINT = `a whole number of lanes from 1 to ${MAX_PARALLELISM}`;
export const BATCH_SIZE_RANGE_HINT = `a whole number of events from 1 (no batching) to ${MAX_BATCH_SIZE}`;
export const BATCH_MAX_BYTES_RANGE_HINT = `a whole number of bytes from ${MIN_BATCH_MAX_BYTES} to ${MAX_BATCH_MAX_BYTES} (64 MiB)`;
export const BATCH_WINDOW_RANGE_HINT = "use 0 to 5 min (PT5M)";
