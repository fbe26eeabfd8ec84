import { expect } from "chai";
import type { AttemptFailure } from "../../../src/poller/delivery/attempt";
import { failureReason } from "../../../src/poller/delivery/attempt";
import { parseRetryAfter } from "../../../src/poller/delivery/retry-after";
import { RetryPolicy } from "../../../src/poller/delivery/retry-policy";
import { BackoffPolicy } from "../../../src/shared/env-contract";

const status = (code: number, retryAfterMs?: number): AttemptFailure => ({
  kind: "status",
  status: code,
  retryAfterMs,
  body: new Uint8Array(),
});
const network: AttemptFailure = { kind: "network", message: "ECONNRESET" };

describe("RetryPolicy (Knative delivery semantics)", () => {
  it("exponential: backoffDelay × 2^n before retry n, as Knative's retries.go", () => {
    const policy = new RetryPolicy({
      retry: 5,
      backoffPolicy: BackoffPolicy.Exponential,
      backoffDelayMs: 500,
    });
    expect([1, 2, 3, 4, 5].map((n) => policy.delayBeforeRetry(n, network))).to.deep.equal([
      1000, 2000, 4000, 8000, 16000,
    ]);
  });

  it("linear: backoffDelay × n before retry n", () => {
    const policy = new RetryPolicy({ retry: 3, backoffPolicy: BackoffPolicy.Linear, backoffDelayMs: 2500 });
    expect([1, 2, 3].map((n) => policy.delayBeforeRetry(n, network))).to.deep.equal([2500, 5000, 7500]);
  });

  it("retries network errors, timeouts, 408, 429 and 5xx, nothing else", () => {
    const policy = new RetryPolicy({ retry: 1, backoffPolicy: BackoffPolicy.Linear, backoffDelayMs: 1 });
    expect(policy.isRetryable(network)).to.equal(true);
    expect(policy.isRetryable({ kind: "timeout", message: "" })).to.equal(true);
    for (const code of [408, 429, 500, 502, 503, 504, 599])
      expect(policy.isRetryable(status(code)), String(code)).to.equal(true);
    for (const code of [300, 301, 400, 401, 403, 404, 409, 410, 413, 422])
      expect(policy.isRetryable(status(code)), String(code)).to.equal(false);
  });

  it("waits for Retry-After on 429 and 503 when it is longer than the backoff, capped", () => {
    const policy = new RetryPolicy({
      retry: 3,
      backoffPolicy: BackoffPolicy.Linear,
      backoffDelayMs: 100,
      retryAfterCapMs: 5_000,
    });
    expect(policy.delayBeforeRetry(1, status(429, 3_000))).to.equal(3_000);
    expect(policy.delayBeforeRetry(1, status(503, 3_000))).to.equal(3_000);
    expect(policy.delayBeforeRetry(1, status(429, 60_000))).to.equal(5_000);
    expect(policy.delayBeforeRetry(1, status(429, 10))).to.equal(100);
    // Other statuses' Retry-After is not a throttling signal (Knative ignores it too).
    expect(policy.delayBeforeRetry(1, status(500, 3_000))).to.equal(100);
  });

  it("clamps huge exponential backoffs to what setTimeout can wait", () => {
    const policy = new RetryPolicy({
      retry: 100,
      backoffPolicy: BackoffPolicy.Exponential,
      backoffDelayMs: 1000,
    });
    expect(policy.delayBeforeRetry(60, network)).to.equal(2_147_483_647);
  });

  it("labels failures for the metrics", () => {
    expect(
      [
        status(500),
        status(503),
        status(429),
        status(408),
        status(404),
        status(301),
        network,
        { kind: "timeout", message: "" } as AttemptFailure,
      ].map(failureReason),
    ).to.deep.equal(["5xx", "5xx", "429", "408", "4xx", "3xx", "network", "timeout"]);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-24T14:00:00Z");
  it("reads delay-seconds", () => expect(parseRetryAfter("7", now)).to.equal(7_000));
  it("reads an HTTP-date", () =>
    expect(parseRetryAfter("Tue, 24 Nov 2026 14:00:30 GMT", now)).to.equal(30_000));
  it("treats a past date as no wait", () =>
    expect(parseRetryAfter("Tue, 24 Nov 2026 13:00:00 GMT", now)).to.equal(0));
  it("ignores garbage and absence", () => {
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
    expect(parseRetryAfter("-5", now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter("", now)).to.equal(undefined);
  });
});
