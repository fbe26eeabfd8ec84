import type { Logger } from "../ops/logger";
import type { Metrics } from "../ops/metrics";
import { describeFailure, failureReason } from "./attempt";
import type { AttemptObserver } from "./send-with-retries";

/**
 * Metrics and logs for the attempts of one send: every failed attempt is counted and logged; sink latency is
 * observed only for the sink (`isSink`), so dead-letter traffic does not blur it. Shared by single events and batches.
 */
export function createAttemptObserver(
  deps: { readonly logger: Logger; readonly metrics: Metrics },
  fields: Record<string, unknown>,
  isSink: boolean,
): AttemptObserver {
  const { metrics, logger } = deps;
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
