import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import { expect } from "chai";
import { batchMessagesFor } from "../../bench/lib/events";
import { batchPartitionKeys, ItemTracker } from "../../bench/lib/item-tracker";
import { BATCH_CONTENT_TYPE } from "../../src/poller/delivery/batch-message";

/** One binary-mode request for bench item `n`, as the sink hands it to the tracker. */
function binary(tracker: ItemTracker, n: number, at: number): void {
  tracker.observe({ "content-type": "application/json", "ce-partitionkey": `item-${n}` }, "{}", at);
}

describe("bench item tracker: the warm rate", () => {
  it("times only the events after the warm-up: a slow start leaves the warm rate alone", () => {
    const tracker = new ItemTracker(30, false, 10);
    // 10 events 100 ms apart (a cold start), then 20 events 10 ms apart.
    for (let n = 0; n < 10; n++) binary(tracker, n, n * 100);
    for (let n = 10; n < 30; n++) binary(tracker, n, 900 + (n - 9) * 10);
    expect(tracker.distinct).to.equal(30);
    // Warm: the 10th event arrived at 900 ms, the 30th at 1,100 ms: 20 events in 0.2 s.
    expect(tracker.rateAfterWarmUp).to.be.closeTo(100, 1e-9);
    // The whole drain pays for the slow start: 29 events in 1.1 s.
    expect(tracker.rate).to.be.closeTo(29 / 1.1, 1e-9);
  });

  it("has no warm rate for a drain shorter than its warm-up, nor without one", () => {
    const short = new ItemTracker(5, false, 10);
    const none = new ItemTracker(5);
    for (let n = 0; n < 5; n++) {
      binary(short, n, n * 10);
      binary(none, n, n * 10);
    }
    expect(short.rateAfterWarmUp).to.be.NaN;
    expect(none.rateAfterWarmUp).to.be.NaN;
  });

  it("starts the warm rate after the batch that steps past the warm-up, counting from its events", () => {
    const tracker = new ItemTracker(30, false, 10);
    const batch = (from: number, at: number) =>
      tracker.observe(
        { "content-type": BATCH_CONTENT_TYPE },
        JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ partitionkey: `item-${from + i}` }))),
        at,
      );
    for (let b = 0; b < 5; b++) batch(b * 6, b * 100);
    // The second batch (events 7–12) crosses 10 at 100 ms; 18 events follow it by 400 ms.
    expect(tracker.rateAfterWarmUp).to.be.closeTo(18 / 0.3, 1e-9);
  });
});

describe("bench item tracker: batch bodies scanned, not parsed", () => {
  const context = {
    tableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/bench",
    streamArn: "arn:aws:dynamodb:us-east-1:123456789012:table/bench/stream/2026-12-02T00:00:00.000",
    shardId: "shardId-1",
  };
  /** Records whose keys and attributes try to look like a partitionkey member to a scan. */
  function trickyRecords(count: number): _Record[] {
    return Array.from({ length: count }, (_, n) => {
      const id = n % 3 === 0 ? `item-${n}` : n % 3 === 1 ? `item-${n}\\,="q"` : `item-${n}é☃`;
      return {
        eventID: `event-${n}`,
        eventName: "INSERT",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: "us-east-1",
        dynamodb: {
          ApproximateCreationDateTime: new Date(1_764_633_600_000 + n),
          Keys: { id: { S: id } },
          NewImage: {
            id: { S: id },
            partitionkey: { S: "item-999999" },
            payload: { S: `"partitionkey":"item-888888" \\"partitionkey\\":\\"item-777777\\"` },
            nested: { M: { partitionkey: { S: "item-666666" } } },
          },
          SequenceNumber: String(1000 + n),
          SizeBytes: 100,
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
      };
    });
  }

  it("finds exactly each event's partitionkey, as JSON.parse of the same body does", () => {
    const messages = batchMessagesFor(trickyRecords(30), context, 10);
    expect(messages).to.have.length(3);
    for (const message of messages) {
      const body = String(message.body);
      const parsed = (JSON.parse(body) as { partitionkey: string }[]).map((event) => event.partitionkey);
      expect(batchPartitionKeys(body).map((key) => JSON.parse(`"${key}"`) as string)).to.deep.equal(parsed);
    }
  });

  it("counts every item of the poller's own batches once, and validates the first with the SDK", () => {
    const tracker = new ItemTracker(30);
    for (const message of batchMessagesFor(trickyRecords(30), context, 10)) {
      tracker.observe(message.headers, String(message.body), 0);
    }
    expect(tracker.invalid).to.deep.equal([]);
    expect([tracker.received, tracker.distinct, tracker.duplicates, tracker.foreign]).to.deep.equal([
      30, 30, 0, 0,
    ]);
  });

  it("reports a batch whose events the scan cannot all find (an event without a partitionkey)", () => {
    const tracker = new ItemTracker(3);
    const [message] = batchMessagesFor(trickyRecords(3), context, 3);
    const events = JSON.parse(String(message?.body)) as Record<string, unknown>[];
    delete events[1]?.partitionkey;
    tracker.observe({ "content-type": BATCH_CONTENT_TYPE }, JSON.stringify(events), 0);
    expect(tracker.invalid).to.deep.equal(["the sink's scan found 2 partitionkeys in a batch of 3 events"]);
    expect(tracker.missing).to.equal(1);
  });
});
