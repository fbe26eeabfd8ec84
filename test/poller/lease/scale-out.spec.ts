import { expect } from "chai";
import { CheckpointConflictError } from "../../../src/poller/checkpoint/store";
import { STREAM_ARN, waitFor } from "../fakes/harness";
import { readsOutsideLease, Workers } from "../fakes/workers";

/** Every record of the fake stream delivered at least once, and how many more than once. */
function completeness(workers: Workers): { missing: number; duplicates: number } {
  const delivered = workers.delivered();
  const unique = new Set(delivered);
  let missing = 0;
  for (const shard of workers.stream.shards.values())
    for (const r of shard.records)
      if (!unique.has(`${shard.shardId}/${r.dynamodb?.SequenceNumber}`)) missing++;
  return { missing, duplicates: delivered.length - unique.size };
}

function totalRecords(workers: Workers): number {
  let n = 0;
  for (const shard of workers.stream.shards.values()) n += shard.records.length;
  return n;
}

describe("leases: scale-out across workers (fake stream, in-memory lease table)", function () {
  this.timeout(30_000);
  let workers: Workers | undefined;

  afterEach(async () => {
    await workers?.stopAll();
    workers = undefined;
  });

  it("three workers split nine shards 3/3/3, read each shard alone and deliver every record once", async () => {
    const w = new Workers({ leaseDurationMs: 600, renewIntervalMs: 50 });
    workers = w;
    for (let i = 0; i < 9; i++) w.stream.addShard(`s${i}`).putMany(`s${i}`, 20);
    for (const id of ["a", "b", "c"]) w.start(id);
    await waitFor(() => ["a", "b", "c"].every((id) => w.ownedBy(id).length === 3), "a 3/3/3 split", 10_000);
    for (let i = 0; i < 9; i++) w.stream.putMany(`s${i}`, 20, `later-${i}`);
    await waitFor(() => new Set(w.delivered()).size === totalRecords(w), "every record", 10_000);
    await w.stopAll();
    expect(completeness(w)).to.deep.equal({ missing: 0, duplicates: 0 });
    expect(readsOutsideLease(w.reads, w.leaseTable.log)).to.deep.equal([]);
    expect(new Set(w.reads.map((r) => r.worker))).to.have.length(3);
  });

  it("a worker that starts later takes its share without stopping the others, with no duplicate", async () => {
    const w = new Workers({ leaseDurationMs: 600, renewIntervalMs: 50 });
    workers = w;
    for (let i = 0; i < 6; i++) w.stream.addShard(`s${i}`).putMany(`s${i}`, 10);
    w.start("a");
    await waitFor(() => w.ownedBy("a").length === 6, "a owns all", 5_000);
    await waitFor(() => new Set(w.delivered()).size === 60, "first records", 5_000);
    w.start("b");
    await waitFor(() => w.ownedBy("a").length === 3 && w.ownedBy("b").length === 3, "a 3/3 split", 5_000);
    for (let i = 0; i < 6; i++) w.stream.putMany(`s${i}`, 10, `later-${i}`);
    await waitFor(() => new Set(w.delivered()).size === 120, "every record", 5_000);
    await w.stopAll();
    // Shedding is graceful: final checkpoint, then release; the next owner resumes after it.
    expect(completeness(w)).to.deep.equal({ missing: 0, duplicates: 0 });
    expect(readsOutsideLease(w.reads, w.leaseTable.log)).to.deep.equal([]);
  });

  it("a worker cut off from the table stops reading, and the others own its shards within the lease duration", async () => {
    const leaseDurationMs = 800;
    const w = new Workers({ leaseDurationMs, renewIntervalMs: 50 });
    workers = w;
    for (let i = 0; i < 4; i++) w.stream.addShard(`s${i}`).putMany(`s${i}`, 10);
    w.start("a");
    w.start("b");
    await waitFor(() => w.ownedBy("a").length === 2 && w.ownedBy("b").length === 2, "a 2/2 split", 5_000);
    const cutAt = performance.now();
    w.leaseTable.partitioned.add("a");
    await waitFor(() => w.ownedBy("b").length === 4, "b owns every shard", 5_000);
    const recoveredMs = performance.now() - cutAt;
    // Taken over only after the lease duration (a's heartbeat has to be seen not moving), and soon after it.
    expect(recoveredMs).to.be.within(leaseDurationMs * 0.9, leaseDurationMs + 1_000);
    for (let i = 0; i < 4; i++) w.stream.putMany(`s${i}`, 10, `later-${i}`);
    await waitFor(() => new Set(w.delivered()).size === 80, "every record", 5_000);
    expect(completeness(w).missing).to.equal(0);
    // a stopped reading before its heartbeat could be judged dead: no read without a lease, ever.
    expect(readsOutsideLease(w.reads, w.leaseTable.log)).to.deep.equal([]);
  });

  it("releases its leases on a graceful stop so that the others take over at once, with no duplicate", async () => {
    const leaseDurationMs = 3_000;
    const w = new Workers({ leaseDurationMs, renewIntervalMs: 50 });
    workers = w;
    for (let i = 0; i < 4; i++) w.stream.addShard(`s${i}`).putMany(`s${i}`, 10);
    const a = w.start("a");
    w.start("b");
    await waitFor(() => w.ownedBy("a").length === 2 && w.ownedBy("b").length === 2, "a 2/2 split", 5_000);
    await waitFor(() => new Set(w.delivered()).size === 40, "first records", 5_000);
    const stoppedAt = performance.now();
    await a.poller.stop();
    await waitFor(() => w.ownedBy("b").length === 4, "b owns every shard", 5_000);
    // Well before the lease duration: released leases are free at once.
    expect(performance.now() - stoppedAt).to.be.lessThan(leaseDurationMs / 2);
    expect(w.leaseTable.log.filter((e) => e.op === "release" && e.workerId === "a")).to.have.length(2);
    for (let i = 0; i < 4; i++) w.stream.putMany(`s${i}`, 10, `later-${i}`);
    await waitFor(() => new Set(w.delivered()).size === 80, "every record", 5_000);
    expect(completeness(w)).to.deep.equal({ missing: 0, duplicates: 0 });
    expect(readsOutsideLease(w.reads, w.leaseTable.log)).to.deep.equal([]);
  });

  it("leases a child only after its parent's checkpoint says SHARD_END, across workers", async () => {
    const w = new Workers({ leaseDurationMs: 600, renewIntervalMs: 50, shardSyncIntervalMs: 100 });
    workers = w;
    w.stream.addShard("p").putMany("p", 50, "item");
    // The parent's reader is slow, so that the split happens while it is being read.
    w.sink.batchDelayMs = 20;
    w.start("a");
    w.start("b");
    await waitFor(() => w.sink.delivered.length > 0, "the parent being read", 5_000);
    w.stream.split("p", "c1", "c2");
    w.stream.putMany("c1", 20, "item");
    w.stream.putMany("c2", 20, "item");
    await waitFor(() => new Set(w.delivered()).size === 90, "every record", 10_000);
    const order = w.sink.delivered.map((d) => d.shardId);
    expect(order.lastIndexOf("p")).to.be.lessThan(Math.min(order.indexOf("c1"), order.indexOf("c2")));
    const parentEnd = w.store.writes.findIndex((x) => x.shardId === "p" && x.checkpoint.shardEnd);
    expect(parentEnd).to.be.greaterThan(-1);
    const childTakes = w.leaseTable.log.filter((e) => e.op === "take" && e.shardId !== "p");
    const parentRelease = w.leaseTable.log.find((e) => e.op === "release" && e.shardId === "p");
    expect(parentRelease, "the parent's lease is released at its end").to.not.equal(undefined);
    for (const take of childTakes) expect(take.at).to.be.greaterThan(parentRelease?.at ?? Infinity);
    // Two children, two workers: fair share gives one to each.
    expect(new Set(childTakes.map((t) => t.workerId))).to.have.length(2);
    expect(readsOutsideLease(w.reads, w.leaseTable.log)).to.deep.equal([]);
  });

  it("fencing: a checkpoint by a worker that lost the lease is rejected, the new owner's passes", async () => {
    const w = new Workers({ leaseDurationMs: 600 });
    workers = w;
    const a = await w.leaseTable.take(STREAM_ARN, "s0", "a", { counter: 0 });
    expect(a?.fence).to.deep.equal({ owner: "a", counter: 1 });
    const b = await w.leaseTable.take(STREAM_ARN, "s0", "b", { owner: "a", counter: 1 });
    expect(b?.fence).to.deep.equal({ owner: "b", counter: 2 });
    // A take based on a stale view loses the race.
    expect(await w.leaseTable.take(STREAM_ARN, "s0", "c", { owner: "a", counter: 1 })).to.equal(undefined);
    let error: unknown;
    await w.store
      .saveShard(STREAM_ARN, "s0", { sequenceNumber: "9", shardEnd: false }, a?.fence)
      .catch((e) => {
        error = e;
      });
    expect(error).to.be.instanceOf(CheckpointConflictError);
    await w.store.saveShard(STREAM_ARN, "s0", { sequenceNumber: "7", shardEnd: false }, b?.fence);
    expect((await w.store.load(STREAM_ARN)).shards.get("s0")?.sequenceNumber).to.equal("7");
    expect(await w.leaseTable.release(STREAM_ARN, "s0", a?.fence ?? { owner: "a", counter: 1 })).to.equal(
      false,
    );
  });
});
