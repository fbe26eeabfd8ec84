import { expect } from "chai";
import { ConfigError, loadConfig } from "../../../src/poller/config";

const BASE = {
  ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
  K_SINK: "http://sink.default.svc",
};

function problem(env: Record<string, string>): string {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe("poller configuration: leases", () => {
  it("defaults to a 10 s lease and the pod name (HOSTNAME) as worker id", () => {
    const config = loadConfig({ ...BASE, HOSTNAME: "orders-source-7d9f-abcde" });
    expect(config.leaseDurationMs).to.equal(10_000);
    expect(config.workerId).to.equal("orders-source-7d9f-abcde");
  });

  it("reads LEASE_DURATION (ISO-8601 or ms) and WORKER_ID, which wins over HOSTNAME", () => {
    const config = loadConfig({ ...BASE, LEASE_DURATION: "PT20S", WORKER_ID: "replica-1", HOSTNAME: "pod" });
    expect(config.leaseDurationMs).to.equal(20_000);
    expect(config.workerId).to.equal("replica-1");
    expect(loadConfig({ ...BASE, LEASE_DURATION: "3000" }).leaseDurationMs).to.equal(3_000);
  });

  it("rejects a lease duration out of range or unreadable, and an overlong worker id, naming the variable", () => {
    expect(problem({ LEASE_DURATION: "500" })).to.equal(
      "LEASE_DURATION: 500 ms is out of range: 1 s (PT1S) to 5 min (PT5M)",
    );
    expect(problem({ LEASE_DURATION: "PT10M" })).to.match(/^LEASE_DURATION: 600000 ms is out of range/);
    expect(problem({ LEASE_DURATION: "soon" })).to.match(/^LEASE_DURATION: /);
    expect(problem({ WORKER_ID: "x".repeat(257) })).to.equal("WORKER_ID: must be at most 256 characters");
  });
});
