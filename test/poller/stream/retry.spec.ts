import { expect } from "chai";
import { Backoff, classifyAwsError, fullJitterDelay } from "../../../src/poller/stream/retry";
import { awsError } from "../fakes/fake-streams";

describe("AWS error classification and backoff", () => {
  const cases: [Error, string][] = [
    [awsError("ExpiredIteratorException"), "expired-iterator"],
    [awsError("TrimmedDataAccessException"), "trimmed"],
    [awsError("ResourceNotFoundException"), "not-found"],
    [awsError("LimitExceededException"), "throttled"],
    [awsError("ProvisionedThroughputExceededException"), "throttled"],
    [awsError("ThrottlingException"), "throttled"],
    [awsError("SomethingNew", 429), "throttled"],
    [awsError("InternalServerError", 500), "transient"],
    [awsError("Unknown", 503), "transient"],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "transient"],
    [Object.assign(new Error("timeout"), { name: "TimeoutError" }), "transient"],
    [awsError("ValidationException"), "invalid-request"],
    [Object.assign(new Error("aborted"), { name: "AbortError" }), "aborted"],
    [awsError("AccessDeniedException"), "other"],
  ];
  for (const [error, kind] of cases) {
    it(`${error.name}${(error as { code?: string }).code ? `/${(error as { code?: string }).code}` : ""} → ${kind}`, () => {
      expect(classifyAwsError(error)).to.equal(kind);
    });
  }

  it("full jitter stays below min(cap, base·2^attempt)", () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    expect(fullJitterDelay(0, policy, () => 0.999)).to.equal(99);
    expect(fullJitterDelay(3, policy, () => 0.999)).to.equal(799);
    expect(fullJitterDelay(10, policy, () => 0.999)).to.equal(999);
    expect(fullJitterDelay(10, policy, () => 0)).to.equal(0);
  });

  it("Backoff grows with consecutive failures and resets after a success", () => {
    const backoff = new Backoff({ baseMs: 10, capMs: 10_000 }, () => 0.5);
    expect([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()]).to.deep.equal([5, 10, 20]);
    backoff.reset();
    expect(backoff.nextDelayMs()).to.equal(5);
  });
});
