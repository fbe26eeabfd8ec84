/**
 * Bounds the poller enforces at start-up, and the one check of each. Shared so the component rejects the same
 * values, with the same words, at `pulumi preview` instead of deploying a pod that crash-loops on them.
 */

/** An inclusive range and the hint that says it to a user. */
export interface Range {
  readonly min: number;
  readonly max: number;
  readonly hint: string;
}

/** POLL_INTERVAL (ms): below 10 ms an idle shard costs more GetRecords than it could save; iterators expire at 15 min. */
export const POLL_INTERVAL_RANGE: Range = {
  min: 10,
  max: 5 * 60_000,
  hint: "use 10 ms to 5 min (each GetRecords is billed; shard iterators expire after 15 min)",
};
/** PROGRESS_TIMEOUT (ms): readiness needs time to see progress, shorter windows flap. */
export const PROGRESS_TIMEOUT_RANGE: Range = {
  min: 1_000,
  max: Number.MAX_SAFE_INTEGER,
  hint: "use at least 1 s (PT1S)",
};
/** DELIVERY_TIMEOUT (ms): per attempt; 0 would time every attempt out at once. */
export const DELIVERY_TIMEOUT_RANGE: Range = {
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
  hint: "use more than 0 ms (e.g. PT30S)",
};
/** BATCH_WINDOW (ms): the added latency stays bounded, like Lambda's MaximumBatchingWindowInSeconds (5 min). */
export const BATCH_WINDOW_RANGE: Range = { min: 0, max: 5 * 60_000, hint: "use 0 to 5 min (PT5M)" };

/** DELIVERY_RETRY: attempts after the first one. */
export const DELIVERY_RETRY_RANGE: Range = {
  min: 0,
  max: 1000,
  hint: "a whole number of retries from 0 to 1000",
};
/** PARALLELISM: per-key lanes per shard, as many as Lambda's ParallelizationFactor allows. */
export const PARALLELISM_RANGE: Range = { min: 1, max: 10, hint: "a whole number of lanes from 1 to 10" };
/** BATCH_SIZE: a GetRecords page holds at most 1000 records, so a batch never could hold more. */
export const BATCH_SIZE_RANGE: Range = {
  min: 1,
  max: 1000,
  hint: "a whole number of events from 1 (no batching) to 1000",
};
export const BATCH_MAX_BYTES_RANGE: Range = {
  min: 1024,
  max: 64 * 1024 * 1024,
  hint: `a whole number of bytes from 1024 to ${64 * 1024 * 1024} (64 MiB)`,
};
/** BATCH_MAX_BYTES default: 1 MiB fits the common broker limits (Kafka's default message size is ~1 MB). */
export const DEFAULT_BATCH_MAX_BYTES = 1024 * 1024;

/** A duration in ms outside `range`: `<shown> is out of range: <hint>`; undefined when it is inside. */
export function durationRangeProblem(ms: number, shown: string, range: Range): string | undefined {
  return ms >= range.min && ms <= range.max ? undefined : `${shown} is out of range: ${range.hint}`;
}

/** Not a whole number inside `range`: `<shown> is not <hint>`; undefined when it is one. */
export function wholeNumberProblem(value: number, shown: string, range: Range): string | undefined {
  return Number.isInteger(value) && value >= range.min && value <= range.max
    ? undefined
    : `${shown} is not ${range.hint}`;
}
