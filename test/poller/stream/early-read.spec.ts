import type { GetRecordsInput, GetRecordsOutput } from "@aws-sdk/client-dynamodb-streams";
import { expect } from "chai";
import type { PageFill } from "../../../src/poller/delivery/types";
import type { RawPageHook } from "../../../src/poller/stream/streams-api";
import { FakeStreamsApi, type FakeStreamsOptions } from "../fakes/fake-streams";
import { createHarness, type Harness, waitFor } from "../fakes/harness";

/** The fake, logging when each GetRecords is sent and when its answer is handed back, by iterator. */
class TimelineStreamsApi extends FakeStreamsApi {
  readonly timeline: string[] = [];

  override async getRecords(
    input: GetRecordsInput,
    signal?: AbortSignal,
    onRawPage?: RawPageHook,
  ): Promise<GetRecordsOutput> {
    this.timeline.push(`send ${input.ShardIterator}`);
    try {
      return await super.getRecords(input, signal, onRawPage);
    } finally {
      this.timeline.push(`answer ${input.ShardIterator}`);
    }
  }
}

function drainHarness(options: FakeStreamsOptions, records: number): Harness {
  const h = createHarness({ api: new TimelineStreamsApi(options), start: false });
  h.stream.addShard("s");
  h.stream.putMany("s", records, "item");
  return h;
}

async function earlyReads(h: Harness): Promise<{ used: number; dropped: number }> {
  const { values } = await h.metrics.getRecordsEarly.get();
  const of = (outcome: string) => values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { used: of("used"), dropped: of("dropped") };
}

/** The delivered keys are the put ones, each once, in order. */
function expectEveryRecordOnceInOrder(h: Harness, count: number): void {
  expect(h.deliverer.delivered.map((d) => d.key)).to.deep.equal(
    Array.from({ length: count }, (_, i) => `item-${i}`),
  );
}

/** GetRecords calls sent before the answer of the call before them was handed back. */
function sentBeforeTheAnswerBefore(timeline: readonly string[]): number {
  let open = 0;
  let early = 0;
  for (const event of timeline) {
    if (event.startsWith("send ")) {
      if (open > 0) early++;
      open++;
    } else open--;
  }
  return early;
}

describe("poller: the next GetRecords goes out before the page in front of it is decoded (fake stream)", () => {
  it("when the shard waits for that page, the next GetRecords is sent from its raw answer", async () => {
    // A slow service and an instant sink: reading is what holds the shard back.
    const h = drainHarness({ getRecordsLatencyMs: 30 }, 4_500);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 4_500, "every record");

    expectEveryRecordOnceInOrder(h, 4_500);
    const api = h.api as TimelineStreamsApi;
    // Five pages with records, then an empty one. The reader waits for each page (delivering takes no time), so
    // pages 2 to 5, and the empty page after them, go out from the raw answers of pages 1 to 5.
    expect(await earlyReads(h)).to.deep.equal({ used: 5, dropped: 0 });
    expect(sentBeforeTheAnswerBefore(api.timeline)).to.equal(5);
    // No call is added: each early call is the one the reader would have made next.
    const pagesWithRecords = (await h.metrics.getRecordsCalls.get()).values.find(
      (v) => v.labels.result === "records",
    )?.value;
    expect(pagesWithRecords).to.equal(5);
  });

  it("not while the page before is still being delivered (the memory bound: two pages)", async () => {
    const h = drainHarness({ getRecordsLatencyMs: 1 }, 3_500);
    h.deliverer.batchDelayMs = 40;
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 3_500, "every record");

    expectEveryRecordOnceInOrder(h, 3_500);
    // Only page 2, from the first page's raw answer: nothing was being delivered yet. Every later page comes in
    // while the one before it is delivered (40 ms), as the prefetch.
    expect(await earlyReads(h)).to.deep.equal({ used: 1, dropped: 0 });
    expect(sentBeforeTheAnswerBefore((h.api as TimelineStreamsApi).timeline)).to.equal(1);
  });

  it("an early read that named another iterator than the decoded page is dropped, and the right one read", async () => {
    let altered = 0;
    const h = drainHarness(
      {
        getRecordsLatencyMs: 20,
        // One raw answer names an iterator that the stream never issued.
        rawBody: (json) =>
          altered++ === 1
            ? json.replace(/"NextShardIterator":"[^"]*"/, '"NextShardIterator":"it-bogus"')
            : json,
      },
      3_500,
    );
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 3_500, "every record");

    expectEveryRecordOnceInOrder(h, 3_500);
    const { used, dropped } = await earlyReads(h);
    expect(dropped).to.equal(1);
    expect(used).to.be.at.least(1);
    expect(h.api.callsOf("GetRecords").map((c) => (c.input as GetRecordsInput).ShardIterator)).to.include(
      "it-bogus",
    );
    expect(h.logs.some((l) => String(l.msg).startsWith("the iterator read early"))).to.equal(true);
  });

  it("an empty page is not read on early: a caught-up shard still polls once per POLL_INTERVAL", async () => {
    const h = drainHarness({ getRecordsLatencyMs: 10 }, 10);
    await h.restart({ pollIntervalMs: 100 });
    await waitFor(() => h.deliverer.delivered.length === 10, "the records");
    const before = await earlyReads(h);
    const callsBefore = h.api.callsOf("GetRecords").length;
    await new Promise((resolve) => setTimeout(resolve, 550));

    // Read early, an empty page would be polled every 10 ms (the latency), ~55 times.
    expect(h.api.callsOf("GetRecords").length - callsBefore).to.be.at.most(7);
    expect(await earlyReads(h)).to.deep.equal(before);
  });

  it("not with BATCH_WINDOW, which waits after a short page that the raw answer cannot tell apart", async () => {
    const h = drainHarness({ getRecordsLatencyMs: 20 }, 2_500);
    const pageFill: PageFill = { records: 100, windowMs: 1 };
    Object.assign(h.deliverer, { pageFill });
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2_500, "every record");

    expectEveryRecordOnceInOrder(h, 2_500);
    expect(await earlyReads(h)).to.deep.equal({ used: 0, dropped: 0 });
  });
});
