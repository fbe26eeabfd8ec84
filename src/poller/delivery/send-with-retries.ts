import { abortableSleep } from "./abortable-sleep";
import type { AttemptFailure } from "./attempt";
import type { OutgoingMessage } from "./http-message";
import type { HttpSink } from "./http-sink";
import type { RetryPolicy } from "./retry-policy";

/** Told about every attempt, so metrics and logs stay out of the retry loop. */
export interface AttemptObserver {
  attemptSucceeded(seconds: number): void;
  attemptFailed(
    failure: AttemptFailure,
    attempt: number,
    seconds: number,
    willRetry: boolean,
    waitMs: number,
  ): void;
}

export type SendResult =
  | { readonly delivered: true }
  | { readonly delivered: false; readonly failure: AttemptFailure; readonly attempts: number };

/**
 * One event to one sink: the first attempt plus up to `policy.retry` retries for retryable failures, waiting the
 * policy's backoff in between. Rejects only with the signal's reason.
 */
export async function sendWithRetries(
  sink: HttpSink,
  message: OutgoingMessage,
  policy: RetryPolicy,
  signal: AbortSignal,
  observer: AttemptObserver,
): Promise<SendResult> {
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    const started = performance.now();
    const result = await sink.send(message, signal);
    const seconds = (performance.now() - started) / 1000;
    if (result.ok) {
      observer.attemptSucceeded(seconds);
      return { delivered: true };
    }
    const { failure } = result;
    const willRetry = attempt <= policy.retry && policy.isRetryable(failure);
    const waitMs = willRetry ? policy.delayBeforeRetry(attempt, failure) : 0;
    observer.attemptFailed(failure, attempt, seconds, willRetry, waitMs);
    if (!willRetry) return { delivered: false, failure, attempts: attempt };
    await abortableSleep(waitMs, signal);
  }
}
