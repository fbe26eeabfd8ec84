import { expect } from "chai";
import { BATCH_CONTENT_TYPE } from "../../../src/poller/delivery/batch-message";
import { laneOf } from "../../../src/poller/delivery/lane-of";
import type { StreamRecord } from "../../../src/poller/delivery/types";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { BackoffPolicy, DataFormat } from "../../../src/shared/env-contract";
import { CloudEventsReceiver, type ReceivedRequest } from "../../support/receiver";
import { CONTEXT, makeRecord } from "../events/fixtures";
import { closeHarnesses, harness, metricValue, records } from "./harness";

const MiB = 1024 * 1024;
const ids = (list: ReadonlyArray<{ id?: string }>) => list.map((e) => e.id);
const batchIds = (requests: readonly ReceivedRequest[]) => requests.map((r) => r.events.map((e) => e.id));

/** The receiver answers `status` to any batch holding the event `poison`, like a sink that fails to parse it. */
function refuse(poison: string, status: number) {
  return (request: ReceivedRequest) =>
    request.events.some((e) => e.id === poison) ? { status, body: `{"bad":"${poison}"}` } : { status: 202 };
}

describe("CloudEvents batch mode against a real HTTP receiver", () => {
  let sink: CloudEventsReceiver;
  let dls: CloudEventsReceiver;

  beforeEach(async () => {
    sink = await CloudEventsReceiver.start("/events");
    dls = await CloudEventsReceiver.start("/dead");
  });
  afterEach(async () => {
    await closeHarnesses();
    await Promise.all([sink.close(), dls.close()]);
  });

  it("sends batches of BATCH_SIZE in stream order that the SDK parses back into the identical events", async () => {
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 10, maxBytes: MiB, windowMs: 0 } });
    const batch = records(25);
    await h.deliver(batch);

    expect(sink.requests.map((r) => r.mode)).to.deep.equal(["batch", "batch", "batch"]);
    expect(sink.requests[0]?.headers["content-type"]).to.equal(BATCH_CONTENT_TYPE);
    expect(sink.requests.map((r) => r.events.length)).to.deep.equal([10, 10, 5]);
    const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
    const expected = batch.map((r) => JSON.parse(JSON.stringify(build(r, CONTEXT))));
    expect(JSON.parse(JSON.stringify(sink.accepted))).to.deep.equal(expected);
    expect(h.settled.map((s) => s.id)).to.deep.equal(ids(batch.map((r) => ({ id: r.eventID }))));
    expect(h.settled.every((s) => s.outcome === "delivered")).to.equal(true);
    expect(await metricValue(h.metrics.batchesSent, { result: "delivered" })).to.equal(3);
    expect(await metricValue(h.metrics.batchSize, {}, "dynamodb_source_batch_size_events_sum")).to.equal(25);
    expect(await metricValue(h.metrics.batchSize, {}, "dynamodb_source_batch_size_events_count")).to.equal(3);
    expect(await metricValue(h.metrics.eventsDelivered, { operation: "INSERT" })).to.equal(25);
  });

  it("keeps every body within BATCH_MAX_BYTES, and sends an event bigger than that alone", async () => {
    const batch = records(12);
    const big = makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { pk: { S: "big" } },
      newItem: { pk: { S: "big" }, blob: { S: "x".repeat(4000) } },
      eventID: "big",
      sequenceNumber: "999",
    });
    batch.splice(5, 0, big);
    const maxBytes = 2000;
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 100, maxBytes, windowMs: 0 } });
    await h.deliver(batch);

    const sizes = sink.requests.map((r) => Buffer.byteLength(r.body));
    const bigRequest = sink.requests.findIndex((r) => r.events.some((e) => e.id === "big"));
    expect(sink.requests[bigRequest]?.events).to.have.length(1);
    sizes.forEach((size, i) => {
      if (i !== bigRequest) expect(size).to.be.at.most(maxBytes);
    });
    // Batches are filled greedily: the next request's first event would not have fitted in the one before.
    const firstEventBytes = (r: ReceivedRequest) => Buffer.byteLength(JSON.stringify(JSON.parse(r.body)[0]));
    sink.requests.slice(1).forEach((request, i) => {
      if (i !== bigRequest && i + 1 !== bigRequest) {
        expect((sizes[i] ?? 0) + 1 + firstEventBytes(request)).to.be.above(maxBytes);
      }
    });
    expect(sink.requests.length).to.be.above(3);
    expect(ids(sink.accepted)).to.deep.equal(batch.map((r) => r.eventID));
  });

  it("bisects a refused batch down to the poison event, dead-letters it with Knative's extensions and delivers the rest", async () => {
    sink.respondWith(refuse("e13", 400));
    const h = harness({
      sinkUrl: sink.url,
      deadLetterSinkUrl: dls.url,
      batch: { maxEvents: 16, maxBytes: MiB, windowMs: 0 },
    });
    const batch = records(16);
    await h.deliver(batch);

    // 16 → 8 ok + 8 → 4 ok + 4 → 2 + 2 ok → 1 ok + 1 refused: 9 requests, each half after the one before it.
    expect(batchIds(sink.requests)).to.deep.equal([
      ids(batch.map((r) => ({ id: r.eventID }))),
      ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7"],
      ["e8", "e9", "e10", "e11", "e12", "e13", "e14", "e15"],
      ["e8", "e9", "e10", "e11"],
      ["e12", "e13", "e14", "e15"],
      ["e12", "e13"],
      ["e12"],
      ["e13"],
      ["e14", "e15"],
    ]);
    expect(ids(sink.accepted)).to.deep.equal(batch.map((r) => r.eventID).filter((id) => id !== "e13"));
    expect(dls.requests).to.have.length(1);
    const letter = dls.requests[0]?.events[0];
    expect(dls.requests[0]?.mode).to.equal("binary");
    expect(letter?.id).to.equal("e13");
    expect(letter?.knativeerrorcode).to.equal("400");
    expect(letter?.knativeerrordest).to.equal(sink.url);
    expect(Buffer.from(String(letter?.knativeerrordata), "base64").toString()).to.equal('{"bad":"e13"}');
    expect(h.settled.map((s) => s.id)).to.deep.equal(batch.map((r) => r.eventID));
    expect(h.settled.filter((s) => s.outcome !== "delivered")).to.deep.equal([
      { id: "e13", outcome: "dead-lettered" },
    ]);
    expect(await metricValue(h.metrics.batchSplits)).to.equal(4);
    expect(await metricValue(h.metrics.batchesSent, { result: "failed" })).to.equal(5);
    expect(await metricValue(h.metrics.eventsDeadLettered)).to.equal(1);
    expect(await metricValue(h.metrics.eventsDelivered, { operation: "INSERT" })).to.equal(15);
  });

  it("without a dead-letter sink, drops, logs and counts the isolated event", async () => {
    sink.respondWith(refuse("e2", 422));
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 5, maxBytes: MiB, windowMs: 0 } });
    await h.deliver(records(5));
    expect(ids(sink.accepted)).to.deep.equal(["e0", "e1", "e3", "e4"]);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal([
      "delivered",
      "delivered",
      "dropped",
      "delivered",
      "delivered",
    ]);
    expect(await metricValue(h.metrics.eventsDropped, { reason: "rejected" })).to.equal(1);
    const error = h.logs.find((l) => l.level === 50);
    expect(error).to.include({ eventId: "e2", reason: "rejected", failure: "HTTP 422" });
  });

  it("retries a batch on 5xx and delivers it whole when the sink recovers, without splitting", async () => {
    sink.enqueue({ status: 503 }, { reset: true });
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 8, maxBytes: MiB, windowMs: 0 } });
    await h.deliver(records(8));
    expect(sink.requests.map((r) => [r.answer, r.events.length])).to.deep.equal([
      [503, 8],
      ["reset", 8],
      [202, 8],
    ]);
    expect(await metricValue(h.metrics.batchSplits)).to.equal(0);
    expect(h.settled.every((s) => s.outcome === "delivered")).to.equal(true);
  });

  it("bisects after retries are exhausted on a poison event that makes the sink fail with 500", async () => {
    sink.respondWith(refuse("e1", 500));
    const h = harness({
      sinkUrl: sink.url,
      deadLetterSinkUrl: dls.url,
      retry: 1,
      backoffPolicy: BackoffPolicy.Linear,
      backoffDelayMs: 1,
      batch: { maxEvents: 4, maxBytes: MiB, windowMs: 0 },
    });
    await h.deliver(records(4));
    // [e0..e3] ×2 → [e0 e1] ×2 → [e0] → [e1] ×2 → [e2 e3]
    expect(batchIds(sink.requests).map((b) => b.join(" "))).to.deep.equal([
      "e0 e1 e2 e3",
      "e0 e1 e2 e3",
      "e0 e1",
      "e0 e1",
      "e0",
      "e1",
      "e1",
      "e2 e3",
    ]);
    expect(dls.requests[0]?.events[0]?.knativeerrorcode).to.equal("500");
    expect(h.settled.map((s) => s.outcome)).to.deep.equal([
      "delivered",
      "dead-lettered",
      "delivered",
      "delivered",
    ]);
  });

  it("with lanes, batches per lane: one request never mixes lanes, and per-item order holds", async () => {
    let n = 0;
    sink.respondWith(() => ({ status: ++n % 4 === 0 ? 503 : 202, delayMs: n % 3 }));
    const batch = Array.from({ length: 120 }, (_, i) =>
      makeRecord({
        operation: "MODIFY",
        viewType: "KEYS_ONLY",
        keys: { pk: { S: `item-${(i * 5) % 17}` } },
        eventID: `e${i}`,
        sequenceNumber: String(1000 + i),
      }),
    );
    const laneById = new Map(batch.map((r) => [r.eventID, laneOf(r, 4)]));
    const h = harness({
      sinkUrl: sink.url,
      parallelism: 4,
      retry: 5,
      batch: { maxEvents: 6, maxBytes: MiB, windowMs: 0 },
    });
    await h.deliver(batch);

    for (const request of sink.requests) {
      expect(new Set(request.events.map((e) => laneById.get(e.id))).size).to.equal(1);
      expect(request.events.length).to.be.at.most(6);
    }
    const order = (events: ReadonlyArray<{ id?: string; partitionkey?: unknown }>) => {
      const byItem = new Map<string, string[]>();
      for (const e of events)
        byItem.set(String(e.partitionkey), [...(byItem.get(String(e.partitionkey)) ?? []), String(e.id)]);
      return byItem;
    };
    const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
    expect(order(sink.accepted)).to.deep.equal(order(batch.map((r: StreamRecord) => build(r, CONTEXT))));
    expect(h.settled.map((s) => s.id)).to.deep.equal(batch.map((r) => r.eventID));
  });

  it("drops a malformed record found while filling a batch and delivers the others", async () => {
    const batch = records(4);
    delete (batch[1] as { eventID?: string }).eventID;
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 10, maxBytes: MiB, windowMs: 0 } });
    await h.deliver(batch);
    expect(batchIds(sink.requests)).to.deep.equal([["e0", "e2", "e3"]]);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal(["delivered", "dropped", "delivered", "delivered"]);
  });

  it("builds the next batch while the one before it is on the wire", async () => {
    const batch = records(6);
    delete (batch[4] as { eventID?: string }).eventID;
    sink.enqueue({ delayMs: 300 });
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 3, maxBytes: MiB, windowMs: 0 } });
    const delivering = h.deliver(batch);
    await sink.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // e4 belongs to the second batch: it was found malformed (and dropped) while the first was unanswered.
    expect(await metricValue(h.metrics.eventsDropped, { reason: "malformed_record" })).to.equal(1);
    expect(h.settled, "nothing is reported before the first batch is answered").to.deep.equal([]);
    await delivering;
    expect(batchIds(sink.requests)).to.deep.equal([
      ["e0", "e1", "e2"],
      ["e3", "e5"],
    ]);
    expect(h.settled.map((s) => s.outcome)).to.deep.equal([
      "delivered",
      "delivered",
      "delivered",
      "delivered",
      "dropped",
      "delivered",
    ]);
  });

  it("an abort during a batch rejects with the reason and settles nothing of it", async () => {
    sink.enqueue({ status: 202 }, { delayMs: 5_000 });
    const h = harness({ sinkUrl: sink.url, batch: { maxEvents: 3, maxBytes: MiB, windowMs: 0 } });
    const controller = new AbortController();
    void sink.waitForRequests(2).then(() => controller.abort(new Error("stop")));
    const error = await h.deliver(records(9), controller.signal).catch((e: unknown) => e);
    expect((error as Error).message).to.equal("stop");
    expect(h.settled.map((s) => s.id)).to.deep.equal(["e0", "e1", "e2"]);
  });
});
