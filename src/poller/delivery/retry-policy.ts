import { BackoffPolicy } from "../../shared/env-contract";
import type { AttemptFailure } from "./attempt";

/** Longest wait a `Retry-After` may impose: a sink cannot park a shard for hours. */
export const RETRY_AFTER_CAP_MS = 60_000;
/** setTimeout fires at once beyond this, so longer backoffs are clamped to it (≈ 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export interface RetryPolicyOptions {
  /** Attempts after the first one. */
  readonly retry: number;
  readonly backoffPolicy: BackoffPolicy;
  readonly backoffDelayMs: number;
  readonly retryAfterCapMs?: number;
}

/**
 * Knative's `delivery` semantics (eventing `pkg/kncloudevents/retries.go`): before retry n (n = 1, 2, …) wait
 * `backoffDelay × 2^n` (exponential) or `backoffDelay × n` (linear). Retried: network errors, timeouts, 408, 429
 * and 5xx; any other answer is final. A `Retry-After` on 429/503 is honoured (capped) when it asks for longer
 * than the backoff, as Knative does.
 */
export class RetryPolicy {
  readonly retry: number;
  private readonly retryAfterCapMs: number;

  constructor(private readonly options: RetryPolicyOptions) {
    this.retry = Math.max(0, Math.floor(options.retry));
    this.retryAfterCapMs = options.retryAfterCapMs ?? RETRY_AFTER_CAP_MS;
  }

  isRetryable(failure: AttemptFailure): boolean {
    if (failure.kind !== "status") return true;
    return failure.status >= 500 || failure.status === 408 || failure.status === 429;
  }

  /** ms to wait before retry number `retryNumber` (1-based) after `failure`. */
  delayBeforeRetry(retryNumber: number, failure: AttemptFailure): number {
    const { backoffDelayMs, backoffPolicy } = this.options;
    const factor = backoffPolicy === BackoffPolicy.Linear ? retryNumber : 2 ** retryNumber;
    let delay = backoffDelayMs * factor;
    if (failure.kind === "status" && (failure.status === 429 || failure.status === 503)) {
      const asked = failure.retryAfterMs;
      if (asked !== undefined) delay = Math.max(delay, Math.min(asked, this.retryAfterCapMs));
    }
    return Math.min(Math.max(0, delay), MAX_TIMER_MS);
  }
}
