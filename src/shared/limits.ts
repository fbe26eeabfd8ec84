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
