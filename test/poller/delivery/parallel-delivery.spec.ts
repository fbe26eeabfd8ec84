import { expect } from "chai";
import { laneOf } from "../../../src/poller/delivery/lane-of";
import type { StreamRecord } from "../../../src/poller/delivery/types";
import { CloudEventsReceiver } from "../../support/receiver";
import { makeRecord } from "../events/fixtures";
import { closeHarnesses, harness } from "./harness";

/** `count` records over `items` items (item i % items), each with its stream position in the id. */
function records(count: number, items: number): StreamRecord[] {
  return Array.from({ length: count }, (_, i) =>
    makeRecord({
      operation: "MODIFY",
      viewType: "NEW_IMAGE",
      keys: { pk: { S: `item-${(i * 7) % items}` } },
      newItem: { pk: { S: `item-${(i * 7) % items}` }, v: { N: String(i) } },
      eventID: `e${i}`,
      sequenceNumber: String(1000 + i),
    }),
  );
}

function idsByItem(events: ReadonlyArray<{ id?: string; partitionkey?: unknown }>): Map<string, string[]> {
  const byItem = new Map<string, string[]>();
  for (const e of events) {
    const key = String(e.partitionkey);
    byItem.set(key, [...(byItem.get(key) ?? []), String(e.id)]);
  }
  return byItem;
}

describe("parallel lanes against a real HTTP receiver", () => {
  let sink: CloudEventsReceiver;

  beforeEach(async () => {
    sink = await CloudEventsReceiver.start("/events");
  });
  afterEach(async () => {
    await closeHarnesses();
    await sink.close();
  });

  it("10 lanes, random latency and 503s: per-item order at the sink, settled in stream order", async () => {
    let n = 0;
    // Deterministic "random": every 5th request fails once (retried), latencies cycle 0-4 ms.
    sink.respondWith(() => {
      n++;
      return n % 5 === 0 ? { status: 503 } : { status: 202, delayMs: (n * 13) % 5 };
    });
    const h = harness({ sinkUrl: sink.url, parallelism: 10, retry: 5 });
    const batch = records(200, 23);
    await h.deliver(batch);

    const expected = idsByItem(
      batch.map((r) => ({ id: r.eventID, partitionkey: `pk=S:${r.dynamodb?.Keys?.pk?.S}` })),
    );
    expect(idsByItem(sink.accepted)).to.deep.equal(expected);
    expect(sink.accepted).to.have.length(200);
    expect(h.settled.map((s) => s.id)).to.deep.equal(batch.map((r) => r.eventID));
    expect(h.settled.every((s) => s.outcome === "delivered")).to.equal(true);
    // Lanes did overlap: arrival order is not stream order.
    expect(sink.accepted.map((e) => e.id)).not.to.deep.equal(batch.map((r) => r.eventID));
  });

  it("a sink stuck on one item does not stop other lanes, and nothing past that item's event settles", async () => {
    const batch = records(40, 8);
    const stuckKey = `pk=S:${batch[3]?.dynamodb?.Keys?.pk?.S}`;
    const stuckLane = laneOf(batch[3] as StreamRecord, 4);
    sink.respondWith((request) =>
      request.events[0]?.partitionkey === stuckKey ? { delayMs: 30_000 } : { status: 202 },
    );
    const h = harness({ sinkUrl: sink.url, parallelism: 4, timeoutMs: 60_000 });
    const controller = new AbortController();
    const delivery = h.deliver(batch, controller.signal).catch((e: unknown) => e);
    const otherLanes = batch.filter((r) => laneOf(r, 4) !== stuckLane).length;
    await sink.waitForAccepted(otherLanes, 10_000);

    expect(h.settled.map((s) => s.id)).to.deep.equal(batch.slice(0, 3).map((r) => r.eventID));
    controller.abort(new Error("stop"));
    expect(((await delivery) as Error).message).to.equal("stop");
    expect(h.settled).to.have.length(3);
  });

  it("10 lanes retrying and dead-lettering at once: no 'possible EventTarget memory leak' warning", async () => {
    const deadLetters = await CloudEventsReceiver.start("/dead");
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      // Every first attempt fails (so each lane sleeps in backoff), and one item in three is refused for good
      // (so its lane also holds a dead-letter attempt): the most listeners the lanes can put on one batch's signal.
      const tries = new Map<string, number>();
      sink.respondWith((request) => {
        const id = String(request.events[0]?.id);
        const attempt = (tries.get(id) ?? 0) + 1;
        tries.set(id, attempt);
        if (attempt === 1) return { status: 503 };
        return Number(id.slice(1)) % 3 === 0 ? { status: 400 } : { status: 202, delayMs: 2 };
      });
      const h = harness({ sinkUrl: sink.url, deadLetterSinkUrl: deadLetters.url, parallelism: 10, retry: 2 });
      const batch = records(60, 10);
      await h.deliver(batch);
      await new Promise((resolve) => setImmediate(resolve));

      expect(h.settled).to.have.length(60);
      expect(h.settled.filter((s) => s.outcome === "dead-lettered")).to.have.length(20);
      expect(warnings.map((w) => w.message)).to.deep.equal([]);
    } finally {
      process.off("warning", onWarning);
      await deadLetters.close();
    }
  });
});
