import { expect } from "chai";
import type { PageFill } from "../../../src/poller/delivery/types";
import { createHarness, type Harness, waitFor } from "../fakes/harness";

/** The harness's deliverer, announcing batch mode's window as the real one does with BATCH_SIZE and BATCH_WINDOW. */
function withPageFill(h: Harness, pageFill: PageFill): void {
  Object.assign(h.deliverer, { pageFill });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("poller: BATCH_WINDOW lets trickling records gather into one page (fake stream)", () => {
  it("after a short page it waits for the window before reading again, so records put meanwhile come as one page", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 3, "first");
    withPageFill(h, { records: 100, windowMs: 1_000 });
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 3, "the first page");

    // Without the window, a 5 ms poll interval would read these one by one, as they trickle in.
    for (let i = 0; i < 3; i++) {
      h.stream.put("s", `late-${i}`, "INSERT", i);
      await pause(15);
    }
    await waitFor(() => h.deliverer.delivered.length === 6, "the trickled records");
    expect(h.deliverer.batches.map((b) => b.size)).to.deep.equal([3, 3]);
  });

  it("reads on at once after a page that fills a batch", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 5, "full");
    withPageFill(h, { records: 2, windowMs: 300_000 });
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 5, "the first page");
    h.stream.putMany("s", 2, "next");
    // A wait of the window (5 min) would time this out.
    await waitFor(() => h.deliverer.delivered.length === 7, "the next page");
  });

  it("a stop ends the wait at once", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    h.stream.putMany("s", 1, "one");
    withPageFill(h, { records: 100, windowMs: 300_000 });
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 1, "the first page");
    await h.stop();
    await h.running;
    expect(h.deliverer.delivered).to.have.length(1);
  });
});
