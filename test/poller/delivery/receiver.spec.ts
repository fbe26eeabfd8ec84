import { expect } from "chai";
import { request } from "undici";
import { CloudEventsReceiver } from "../../support/receiver";

describe("test receiver (test/support/receiver.ts)", () => {
  let receiver: CloudEventsReceiver;
  beforeEach(async () => {
    receiver = await CloudEventsReceiver.start();
  });
  afterEach(() => receiver.close());

  const post = (headers: Record<string, string>, body: string) =>
    request(receiver.url, { method: "POST", headers, body });

  it("parses a batch into its events, in order", async () => {
    const batch = [1, 2].map((n) => ({
      specversion: "1.0",
      id: `b${n}`,
      source: "/s",
      type: "t",
      data: { n },
    }));
    const response = await post(
      { "content-type": "application/cloudevents-batch+json" },
      JSON.stringify(batch),
    );
    await response.body.dump();
    expect(receiver.requests[0]?.mode).to.equal("batch");
    expect(receiver.accepted.map((e) => e.id)).to.deep.equal(["b1", "b2"]);
    await receiver.waitForAccepted(2, 100);
    expect(receiver.acceptedCount).to.equal(2);
  });

  it("answers from the queue, then from the responder, and records what it answered", async () => {
    receiver
      .enqueue({ status: 503, retryAfter: "3", body: "busy" })
      .respondWith((r) => ({ status: r.index === 1 ? 400 : 204 }));
    const headers = {
      "ce-id": "x",
      "ce-source": "/s",
      "ce-type": "t",
      "ce-specversion": "1.0",
      "content-type": "application/json",
    };
    const first = await post(headers, "{}");
    expect(first.statusCode).to.equal(503);
    expect(first.headers["retry-after"]).to.equal("3");
    expect(await first.body.text()).to.equal("busy");
    const statuses = [];
    for (let i = 0; i < 2; i++) {
      const response = await post(headers, "{}");
      await response.body.dump();
      statuses.push(response.statusCode);
    }
    expect(statuses).to.deep.equal([400, 204]);
    expect(receiver.requests.map((r) => r.answer)).to.deep.equal([503, 400, 204]);
    expect(receiver.accepted).to.have.length(1);
    expect(receiver.acceptedCount).to.equal(1);
    const tooMany = await receiver.waitForAccepted(2, 50).catch((e: unknown) => e);
    expect((tooMany as Error).message).to.equal("expected 2 accepted events, got 1");
  });

  it("records a request that is not a CloudEvent as invalid instead of failing", async () => {
    const response = await post({ "content-type": "text/plain" }, "hello");
    await response.body.dump();
    expect(receiver.requests[0]?.mode).to.equal("invalid");
    expect(receiver.requests[0]?.parseError).to.be.a("string");
  });

  it("resets the connection when scripted to", async () => {
    receiver.enqueue({ reset: true });
    const error = await post({ "content-type": "application/json" }, "{}").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect(receiver.requests[0]?.answer).to.equal("reset");
  });
});
