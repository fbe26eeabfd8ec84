import { expect } from "chai";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { FakeStreamsApi } from "../fakes/fake-streams";
import { counterValue, createHarness, STREAM_ARN, waitFor } from "../fakes/harness";

describe("poller: shard lineage (fake stream)", () => {
  it("reads a parent to its end before any child, and finds children the moment the parent ends", async () => {
    const h = createHarness({ start: false, settings: { shardSyncIntervalMs: 60_000 } });
    h.stream.addShard("p");
    const parentRecords = h.stream.putMany("p", 30, "item");
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 30, "the parent's records");
    // Split while the poller reads the parent: the children exist only after its last listing.
    h.stream.split("p", "c1", "c2");
    // Same items keep changing in the children: order per item must hold across the split.
    const childRecords = [...h.stream.putMany("c1", 10, "item"), ...h.stream.putMany("c2", 10, "other")];

    await waitFor(() => h.deliverer.delivered.length === 50, "all 50 records");
    await h.stop();

    const order = h.deliverer.delivered.map((d) => d.shardId);
    const lastParent = order.lastIndexOf("p");
    const firstChild = Math.min(order.indexOf("c1"), order.indexOf("c2"));
    expect(lastParent).to.equal(29);
    expect(firstChild).to.be.greaterThan(lastParent);
    expect(h.deliverer.sequenceNumbers("p")).to.deep.equal(
      parentRecords.map((r) => r.dynamodb?.SequenceNumber),
    );
    expect(h.deliverer.delivered.filter((d) => d.shardId !== "p")).to.have.length(childRecords.length);
    // With a 60 s periodic sync, the children can only have been found by the CHILD_SHARDS lookup.
    const childLookups = h.api
      .callsOf("DescribeStream")
      .filter((c) => "ShardFilter" in c.input && c.input.ShardFilter);
    expect(childLookups).to.have.length.greaterThan(0);
    const ckpt = await h.store.load(STREAM_ARN);
    expect(ckpt.shards.get("p")?.shardEnd).to.equal(true);
  });

  it("reads a parent listed together with its children to its end before them", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("p");
    h.stream.putMany("p", 2500, "item"); // three GetRecords pages
    h.stream.split("p", "c1", "c2");
    h.stream.putMany("c1", 10, "item");
    h.stream.putMany("c2", 10, "item");
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 2520, "all records");
    await h.stop();
    const order = h.deliverer.delivered.map((d) => d.shardId);
    expect(order.lastIndexOf("p")).to.equal(2499);
    expect(h.deliverer.batches.filter((b) => b.shardId === "p").map((b) => b.size)).to.deep.equal([
      1000, 1000, 500,
    ]);
  });

  it("follows grandchildren born while the poller runs, each generation after its parent", async () => {
    const h = createHarness({ settings: { shardSyncIntervalMs: 60_000 } });
    h.stream.addShard("g0");
    h.stream.putMany("g0", 5, "k");
    await waitFor(() => h.deliverer.delivered.length === 5, "generation 0");
    h.stream.split("g0", "g1");
    h.stream.putMany("g1", 5, "k");
    await waitFor(() => h.deliverer.delivered.length === 10, "generation 1");
    h.stream.split("g1", "g2a", "g2b");
    h.stream.putMany("g2a", 5, "k");
    h.stream.putMany("g2b", 5, "j");
    await waitFor(() => h.deliverer.delivered.length === 20, "generation 2");
    await h.stop();
    const shards = h.deliverer.delivered.map((d) => d.shardId);
    expect(shards.slice(0, 5)).to.deep.equal(["g0", "g0", "g0", "g0", "g0"]);
    expect(shards.slice(5, 10)).to.deep.equal(["g1", "g1", "g1", "g1", "g1"]);
    expect(await counterValue(h.metrics.shards, { state: "finished" })).to.equal(2);
    expect(await counterValue(h.metrics.shards, { state: "reading" })).to.equal(2);
  });

  it("checks ParentShardId itself when DescribeStream ignores ShardFilter (as DynamoDB Local does)", async () => {
    const api = new FakeStreamsApi({ ignoreShardFilter: true });
    const h = createHarness({ api, start: false, settings: { shardSyncIntervalMs: 60_000 } });
    h.stream.addShard("a");
    h.stream.addShard("unrelated");
    h.stream.putMany("a", 3);
    h.stream.split("a", "a-child");
    h.stream.putMany("a-child", 3);
    h.stream.putMany("unrelated", 3);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 9, "all records");
    await h.stop();
    const order = h.deliverer.delivered.map((d) => d.shardId).filter((s) => s !== "unrelated");
    expect(order).to.deep.equal(["a", "a", "a", "a-child", "a-child", "a-child"]);
  });

  it("does not block a child whose parent is no longer listed (trimmed after 24 h)", async () => {
    const h = createHarness({ start: false });
    h.stream.addShard("orphan", "trimmed-parent");
    h.stream.putMany("orphan", 4);
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 4, "the orphan's records");
    await h.stop();
  });

  it("processes the records returned by the last GetRecords of a closed shard", async () => {
    const store = new MemoryCheckpointStore();
    const h = createHarness({ store, start: false });
    h.stream.addShard("s");
    const records = h.stream.putMany("s", 7);
    h.stream.closeShard("s");
    h.running = h.poller.run();
    await waitFor(() => h.deliverer.delivered.length === 7, "all 7 records");
    await waitFor(() => store.writes.some((w) => w.checkpoint.shardEnd), "SHARD_END checkpoint");
    await h.stop();
    const end = store.writes.find((w) => w.checkpoint.shardEnd);
    expect(end?.checkpoint.sequenceNumber).to.equal(records[6]?.dynamodb?.SequenceNumber);
    // The whole closed shard fits in one page: its only GetRecords returned the records and a null iterator.
    expect(h.api.callsOf("GetRecords")).to.have.length(1);
  });
});
