import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { createHarness, waitFor } from "../fakes/harness";

/** A memory store whose shard writes fail with `failing` while it is set. */
class FailingWritesStore extends MemoryCheckpointStore {
  failing: Error | undefined;
  override async saveShard(...args: Parameters<MemoryCheckpointStore["saveShard"]>) {
    if (this.failing) throw this.failing;
    return super.saveShard(...args);
  }
}

const seq = (r: { dynamodb?: { SequenceNumber?: string } }) => r.dynamodb?.SequenceNumber ?? "";

describe("poller: checkpoints and graceful shutdown (fake stream)", () => {
  it("never checkpoints past an undelivered record, even when shutdown aborts a stalled delivery", async () => {
    const store = new MemoryCheckpointStore();
    const h = createHarness({ store, start: false, settings: { shutdownDeadlineMs: 50 } });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 6);
    h.deliverer.stallAt(seq(records[3] ?? {}));
    h.running = h.poller.run();
    await h.deliverer.stalled;
    await h.stop(); // the deadline aborts the stalled delivery
    const written = store.writes.map((w) => w.checkpoint.sequenceNumber);
    expect(written.at(-1)).to.equal(seq(records[2] ?? {}));
    for (const s of written)
      expect(s !== undefined && s < seq(records[3] ?? {}), `checkpoint ${s}`).to.equal(true);
    expect(store.writes.some((w) => w.checkpoint.shardEnd)).to.equal(false);

    // After a restart the undelivered records come again, and nothing before them.
    h.deliverer.stallAt("none");
    const deliveredBefore = h.deliverer.delivered.length;
    await h.restart();
    await waitFor(() => h.deliverer.delivered.length === deliveredBefore + 3, "the rest");
    await h.stop();
    expect(h.deliverer.sequenceNumbers().slice(deliveredBefore)).to.deep.equal(records.slice(3).map(seq));
  });

  it("stops fetching, lets the in-flight batch finish within the deadline and writes the final checkpoint", async () => {
    const store = new MemoryCheckpointStore();
    // Periodic checkpoints never come due after the first one: only the shutdown flush can write the last record.
    const h = createHarness({
      store,
      start: false,
      settings: { checkpointIntervalMs: 3_600_000, shutdownDeadlineMs: 10_000 },
    });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 5);
    h.deliverer.stallAt(seq(records[4] ?? {}));
    h.running = h.poller.run();
    await h.deliverer.stalled;
    const fetchedBeforeStop = h.api.callsOf("GetRecords").length; // the page, and the next one prefetched
    const stopping = h.stop();
    expect(h.poller.readiness()).to.deep.equal({ ready: false, reason: "shutting down" });
    h.stream.putMany("s", 2, "after-stop");
    h.deliverer.release(); // the slow sink answers before the deadline
    await stopping;
    expect(h.deliverer.sawAbort).to.equal(false);
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
    expect(h.api.callsOf("GetRecords")).to.have.length(fetchedBeforeStop); // nothing fetched after stop()
    expect(fetchedBeforeStop).to.be.at.most(2);
    expect(store.writes.map((w) => w.checkpoint.sequenceNumber)).to.deep.equal([seq(records[4] ?? {})]);
  });

  it("becomes not ready when a shard with a backlog makes no progress for PROGRESS_TIMEOUT", async () => {
    const h = createHarness({ start: false, settings: { progressTimeoutMs: 100 } });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 3);
    h.running = h.poller.run();
    await waitFor(() => h.poller.readiness().ready, "ready");
    const [stuck] = h.stream.putMany("s", 1, "stuck");
    h.deliverer.stallAt(seq(stuck ?? {}));
    await h.deliverer.stalled;
    await waitFor(() => !h.poller.readiness().ready, "not ready", 2_000);
    expect(h.poller.readiness().reason).to.match(/^shard s made no progress for \d+ s/);
    expect(records).to.have.length(3);
  });

  it("becomes not ready while checkpoint writes fail for longer than PROGRESS_TIMEOUT, and ready once they succeed", async () => {
    const store = new FailingWritesStore();
    const h = createHarness({
      store,
      start: false,
      settings: { progressTimeoutMs: 100, checkpointIntervalMs: 10 },
    });
    h.stream.addShard("s");
    h.stream.putMany("s", 3);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 3, "delivered");
    store.failing = Object.assign(new Error("no route"), { name: "AccessDeniedException" });
    h.stream.putMany("s", 2, "unsaved");
    await waitFor(() => !h.poller.readiness().ready, "not ready", 2_000);
    expect(h.poller.readiness().reason).to.match(
      /^checkpoint writes for shard s have failed for \d+ s \(AccessDeniedException; 1 shard\(s\); in-memory.*a restart would deliver again/,
    );
    expect(h.deliverer.delivered).to.have.length(5); // delivery goes on
    store.failing = undefined;
    await waitFor(() => h.poller.readiness().ready, "ready again", 2_000);
    expect(store.writes.at(-1)?.checkpoint.sequenceNumber).to.equal(h.deliverer.delivered[4]?.sequenceNumber);
  });

  it("an idle, caught-up shard stays ready", async () => {
    const h = createHarness({ start: false, settings: { progressTimeoutMs: 100 } });
    h.stream.addShard("s");
    h.running = h.poller.run();
    await waitFor(() => h.api.callsOf("GetRecords").length > 0, "polling");
    await new Promise((r) => setTimeout(r, 250));
    expect(h.poller.readiness()).to.deep.equal({ ready: true });
  });

  it("keeps at most one page prefetched while a batch is being delivered (bounded memory)", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 5_000);
    h.deliverer.stallAt(seq(records[10] ?? {}));
    h.running = h.poller.run();
    await h.deliverer.stalled;
    await new Promise((r) => setTimeout(r, 50)); // a reader that did not wait would fetch all 5 pages by now
    expect(h.api.callsOf("GetRecords")).to.have.length(2);
    h.deliverer.release();
    await waitFor(() => h.deliverer.delivered.length === 5_000, "every record");
    expect(h.deliverer.sequenceNumbers()).to.deep.equal(records.map(seq));
  });
});
