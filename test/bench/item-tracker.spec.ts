import { expect } from "chai";
import { ItemTracker } from "../../bench/lib/item-tracker";
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
