import { expect } from "chai";
import { ContentMode } from "../../../src/poller/delivery/types";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { BackoffPolicy, DataFormat } from "../../../src/shared/env-contract";
import { CloudEventsReceiver } from "../../support/receiver";
import { CONTEXT, EVERY_TYPE, makeRecord } from "../events/fixtures";
import { closeHarnesses, harness, metricValue, records } from "./harness";

describe("deliverer against a real HTTP receiver", () => {
  let sink: CloudEventsReceiver;
  let dls: CloudEventsReceiver;

  beforeEach(async () => {
    sink = await CloudEventsReceiver.start("/events?x=1");
    dls = await CloudEventsReceiver.start("/dead");
  });
  afterEach(async () => {
    await closeHarnesses();
    await Promise.all([sink.close(), dls.close()]);
  });

  for (const contentMode of [ContentMode.Binary, ContentMode.Structured]) {
    for (const dataFormat of Object.values(DataFormat)) {
      it(`${contentMode} mode, ${dataFormat} data: the receiver parses back the identical event`, async () => {
        const record = makeRecord({
          operation: "MODIFY",
          viewType: "NEW_AND_OLD_IMAGES",
          keys: { ключ: { S: 'значение 100% "quoted"' }, sk: { B: new Uint8Array([251, 255]) } },
          newItem: EVERY_TYPE,
        });
        const h = harness({ sinkUrl: sink.url, contentMode, dataFormat, ceOverrides: { team: "payments" } });
        await h.deliver([record]);

        const expected = createEventBuilder({ dataFormat, ceOverrides: { team: "payments" } })(
          record,
          CONTEXT,
        );
        const [request] = await sink.waitForRequests(1);
        expect(request?.mode).to.equal(contentMode);
        expect(request?.events).to.have.length(1);
        const received = JSON.parse(JSON.stringify(request?.events[0]));
        expect(received).to.deep.equal(JSON.parse(JSON.stringify(expected)));
        if (contentMode === ContentMode.Binary) {
          // Non-ASCII, space, quote and percent are percent-encoded on the wire, per the HTTP binding.
          expect(request?.headers["ce-subject"]).to.equal("sk,%D0%BA%D0%BB%D1%8E%D1%87");
          expect(request?.headers["content-type"]).to.equal("application/json");
        }
        expect(h.settled).to.deep.equal([{ id: record.eventID, outcome: "delivered" }]);
        expect(await metricValue(h.metrics.eventsDelivered, { operation: "MODIFY" })).to.equal(1);
      });
    }
  }

  for (const status of [500, 503, 408, 429]) {
    it(`retries a ${status} and delivers on the next 2xx`, async () => {
      sink.enqueue({ status }, { status });
      const h = harness({ sinkUrl: sink.url });
      await h.deliver(records(1));
      expect(sink.requests.map((r) => r.answer)).to.deep.equal([status, status, 202]);
      expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered"]);
      const reason = status >= 500 ? "5xx" : String(status);
      expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason })).to.equal(2);
      expect(
        await metricValue(
          h.metrics.sinkLatency,
          { outcome: reason },
          "dynamodb_source_sink_request_duration_seconds_count",
        ),
      ).to.equal(2);
      expect(
        await metricValue(
          h.metrics.sinkLatency,
          { outcome: "success" },
          "dynamodb_source_sink_request_duration_seconds_count",
        ),
      ).to.equal(1);
      expect(dls.requests).to.have.length(0);
    });
  }

  it("waits the policy's backoff between attempts (exponential: delay × 2^n)", async () => {
    sink.enqueue({ status: 500 }, { status: 500 });
    const h = harness({ sinkUrl: sink.url, backoffPolicy: BackoffPolicy.Exponential, backoffDelayMs: 25 });
    await h.deliver(records(1));
    const at = sink.requests.map((r) => r.receivedAt);
    expect(at).to.have.length(3);
    // Lower bounds only (a slow machine may wait longer): 50 ms before retry 1, 100 ms before retry 2.
    expect((at[1] ?? 0) - (at[0] ?? 0)).to.be.at.least(48);
    expect((at[2] ?? 0) - (at[1] ?? 0)).to.be.at.least(98);
  });

  it("honours Retry-After on a 429 when it asks for longer than the backoff", async () => {
    sink.enqueue({ status: 429, retryAfter: "1" });
    const h = harness({ sinkUrl: sink.url, backoffDelayMs: 1 });
    await h.deliver(records(1));
    const [first, second] = sink.requests;
    expect(second).to.not.equal(undefined);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).to.be.at.least(950);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered"]);
  });

  it("retries a connection reset", async () => {
    sink.enqueue({ reset: true });
    const h = harness({ sinkUrl: sink.url });
    await h.deliver(records(1));
    expect(sink.requests.map((r) => r.answer)).to.deep.equal(["reset", 202]);
    expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason: "network" })).to.equal(1);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered"]);
  });

  it("retries an attempt that times out", async () => {
    sink.enqueue({ delayMs: 400 });
    const h = harness({ sinkUrl: sink.url, timeoutMs: 100 });
    await h.deliver(records(1));
    expect(sink.requests).to.have.length(2);
    expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason: "timeout" })).to.equal(1);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered"]);
  });

  it("counts a 2xx whose body never finishes as delivered (no duplicate)", async () => {
    const { createServer } = await import("node:http");
    const slowBody = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
      });
    });
    await new Promise<void>((resolve) => slowBody.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = slowBody.address() as { port: number };
      const h = harness({ sinkUrl: `http://127.0.0.1:${port}/`, timeoutMs: 100 });
      await h.deliver(records(1));
      expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered"]);
      expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason: "timeout" })).to.equal(0);
    } finally {
      slowBody.closeAllConnections();
      slowBody.close();
    }
  });

  it("sends a 400 straight to the dead-letter sink with Knative's error extensions", async () => {
    sink.enqueue({ status: 400, body: '{"error":"no such field"}' });
    const h = harness({ sinkUrl: sink.url, deadLetterSinkUrl: dls.url });
    const [record] = records(1);
    if (record === undefined) throw new Error("no record");
    await h.deliver([record]);
    expect(sink.requests).to.have.length(1);
    const [letter] = dls.requests;
    const event = letter?.events[0];
    expect(event?.id).to.equal(record.eventID);
    expect(event?.knativeerrorcode).to.equal("400");
    expect(event?.knativeerrordest).to.equal(sink.url);
    expect(Buffer.from(String(event?.knativeerrordata), "base64").toString()).to.equal(
      '{"error":"no such field"}',
    );
    expect(event?.partitionkey).to.equal("pk=S:item-0");
    expect(h.settled).to.deep.equal([{ id: record.eventID, outcome: "dead-lettered" }]);
    expect(await metricValue(h.metrics.eventsDeadLettered)).to.equal(1);
    expect(await metricValue(h.metrics.eventsDelivered, { operation: "INSERT" })).to.equal(0);
  });

  it("dead-letters after the retries are exhausted, with the last status", async () => {
    sink.respondWith(() => ({ status: 503 }));
    const h = harness({ sinkUrl: sink.url, deadLetterSinkUrl: dls.url, retry: 2 });
    await h.deliver(records(1));
    expect(sink.requests).to.have.length(3);
    expect(dls.requests[0]?.events[0]?.knativeerrorcode).to.equal("503");
    expect(dls.requests[0]?.events[0]).not.to.have.property("knativeerrordata");
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["dead-lettered"]);
  });

  it("drops, counts and logs an event when the dead-letter sink fails too", async () => {
    sink.respondWith(() => ({ status: 500 }));
    dls.respondWith(() => ({ status: 500 }));
    const h = harness({ sinkUrl: sink.url, deadLetterSinkUrl: dls.url, retry: 1 });
    await h.deliver(records(1));
    expect(sink.requests).to.have.length(2);
    expect(dls.requests).to.have.length(2);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["dropped"]);
    expect(await metricValue(h.metrics.eventsDropped, { reason: "dead_letter_failed" })).to.equal(1);
    const error = h.logs.find((l) => l.level === 50);
    expect(error).to.include({
      eventId: "e0",
      shardId: CONTEXT.shardId,
      sequenceNumber: "1000",
      reason: "dead_letter_failed",
    });
  });

  it("drops with reason network when the dead-letter sink is unreachable", async () => {
    await dls.close();
    sink.respondWith(() => ({ status: 404 }));
    const h = harness({ sinkUrl: sink.url, deadLetterSinkUrl: dls.url, retry: 1 });
    await h.deliver(records(1));
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["dropped"]);
    expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason: "network" })).to.equal(2);
    expect(await metricValue(h.metrics.deliveryAttemptsFailed, { reason: "4xx" })).to.equal(1);
  });

  it("without a dead-letter sink, drops rejected and exhausted events with distinct reasons", async () => {
    sink.enqueue({ status: 422 }, { status: 500 }, { status: 500 });
    const h = harness({ sinkUrl: sink.url, retry: 1 });
    await h.deliver(records(2));
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["dropped", "dropped"]);
    expect(await metricValue(h.metrics.eventsDropped, { reason: "rejected" })).to.equal(1);
    expect(await metricValue(h.metrics.eventsDropped, { reason: "retries_exhausted" })).to.equal(1);
    const errors = h.logs.filter((l) => l.level === 50);
    expect(errors.map((l) => [l.eventId, l.reason])).to.deep.equal([
      ["e0", "rejected"],
      ["e1", "retries_exhausted"],
    ]);
  });

  it("keeps stream order and settles in stream order while some attempts fail", async () => {
    let n = 0;
    sink.respondWith(() => (n++ % 3 === 0 ? { status: 503 } : { status: 200 }));
    const h = harness({ sinkUrl: sink.url, retry: 5 });
    const batch = records(12);
    await h.deliver(batch);
    const ids = batch.map((r) => r.eventID);
    expect(sink.accepted.map((e) => e.id)).to.deep.equal(ids);
    expect(h.settled.map((s) => s.id)).to.deep.equal(ids);
    expect(h.settled.every((s) => s.outcome === "delivered")).to.equal(true);
  });

  it("reuses keep-alive connections for a shard's events", async () => {
    const h = harness({ sinkUrl: sink.url });
    await h.deliver(records(50));
    expect(sink.accepted).to.have.length(50);
    // undici frees a connection a tick after the response ends, so back-to-back requests alternate between two.
    expect(new Set(sink.requests.map((r) => r.remotePort)).size).to.be.at.most(2);
  });

  it("drops a record it cannot turn into an event and carries on with the next", async () => {
    const batch = records(2);
    delete (batch[0] as { eventID?: string }).eventID;
    const h = harness({ sinkUrl: sink.url });
    await h.deliver(batch);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["dropped", "delivered"]);
    expect(await metricValue(h.metrics.eventsDropped, { reason: "malformed_record" })).to.equal(1);
  });

  it("builds each event while the one before it is on the wire, and sends them in order", async () => {
    const h = harness({ sinkUrl: sink.url });
    const batch = records(3);
    delete (batch[1] as { eventID?: string }).eventID;
    // e1 cannot become an event: it is found while e0 is in flight, and dropped only when its turn comes.
    sink.enqueue({ delayMs: 150 });
    const delivering = h.deliver(batch);
    await sink.waitForRequests(1);
    expect(h.settled, "nothing settles before e0's answer").to.deep.equal([]);
    await delivering;
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered", "dropped", "delivered"]);
    expect(sink.requests.map((r) => r.headers["ce-id"])).to.deep.equal(["e0", "e2"]);
  });

  it("an abort during a backoff rejects at once with the abort reason and settles nothing more", async () => {
    sink.respondWith(() => ({ status: 500 }));
    const h = harness({
      sinkUrl: sink.url,
      retry: 10,
      backoffPolicy: BackoffPolicy.Linear,
      backoffDelayMs: 10_000,
    });
    const controller = new AbortController();
    const reason = new Error("shutting down");
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await h.deliver(records(2), controller.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.equal(reason);
    expect(Date.now() - started).to.be.below(2_000);
    expect(sink.requests).to.have.length(1);
    expect(h.settled).to.deep.equal([]);
  });

  it("an abort during a slow request rejects at once", async () => {
    sink.enqueue({ delayMs: 5_000 });
    const h = harness({ sinkUrl: sink.url, timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const started = Date.now();
    const error = await h.deliver(records(1), controller.signal).catch((e: unknown) => e);
    expect((error as Error).message).to.equal("stop");
    expect(Date.now() - started).to.be.below(2_000);
    expect(h.settled).to.deep.equal([]);
  });

  it("settles records delivered before an abort and not the rest", async () => {
    sink.enqueue({ status: 200 }, { status: 200 }, { delayMs: 5_000 });
    const h = harness({ sinkUrl: sink.url });
    const controller = new AbortController();
    void sink.waitForRequests(3).then(() => controller.abort(new Error("stop")));
    await h.deliver(records(4), controller.signal).catch(() => undefined);
    expect(h.settled.map((s) => s.id)).to.deep.equal(["e0", "e1"]);
  });
});
