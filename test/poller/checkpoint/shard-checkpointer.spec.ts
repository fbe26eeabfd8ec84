import { expect } from "chai";
import { Registry } from "prom-client";
import { CheckpointHealth } from "../../../src/poller/checkpoint/checkpoint-health";
import { MemoryCheckpointStore } from "../../../src/poller/checkpoint/memory-store";
import { ShardCheckpointer } from "../../../src/poller/checkpoint/shard-checkpointer";
import { CheckpointConflictError, type ShardCheckpoint } from "../../../src/poller/checkpoint/store";
import { createMetrics } from "../../../src/poller/ops/metrics";
import { capturingLogger, counterValue } from "../fakes/harness";

const ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x";

/** A memory store whose next writes fail with `error`. */
class FlakyStore extends MemoryCheckpointStore {
  failures: Error[] = [];
  override async saveShard(streamArn: string, shardId: string, c: Omit<ShardCheckpoint, "updatedAt">) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    return super.saveShard(streamArn, shardId, c);
  }
}

function setup(intervalMs: number) {
  let now = 1_000;
  const store = new FlakyStore();
  const metrics = createMetrics(new Registry());
  const { logger, lines } = capturingLogger();
  const checkpointHealth = new CheckpointHealth(() => now);
  const checkpointer = new ShardCheckpointer(
    store,
    ARN,
    "s",
    { intervalMs, now: () => now },
    { logger, metrics, checkpointHealth },
  );
  return {
    store,
    metrics,
    lines,
    checkpointer,
    checkpointHealth,
    advanceClock: (ms: number) => (now += ms),
  };
}

describe("shard checkpointer", () => {
  it("writes at most once per interval, only when something new settled", async () => {
    const { store, checkpointer, advanceClock } = setup(1_000);
    checkpointer.advanceTo("001");
    checkpointer.flushIfDue(); // due: a background write starts
    await new Promise((r) => setImmediate(r));
    checkpointer.advanceTo("002");
    checkpointer.flushIfDue(); // within the interval: skipped
    await new Promise((r) => setImmediate(r));
    expect(store.writes.map((w) => w.checkpoint.sequenceNumber)).to.deep.equal(["001"]);
    advanceClock(1_000);
    checkpointer.flushIfDue(); // due again
    await new Promise((r) => setImmediate(r));
    checkpointer.flushIfDue(); // nothing new: skipped
    await checkpointer.flush(); // nothing new: no write
    checkpointer.advanceTo("003");
    await checkpointer.flush(); // shutdown writes at once, whatever the interval
    expect(store.writes.map((w) => w.checkpoint.sequenceNumber)).to.deep.equal(["001", "002", "003"]);
  });

  it("keeps a failed write pending and retries it at the next flush", async () => {
    const { store, metrics, checkpointer } = setup(0);
    store.failures.push(
      Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" }),
    );
    checkpointer.advanceTo("007");
    await checkpointer.flush();
    expect(store.writes).to.have.length(0);
    await checkpointer.flush();
    expect(store.writes.map((w) => w.checkpoint.sequenceNumber)).to.deep.equal(["007"]);
    expect(await counterValue(metrics.checkpointWrites, { result: "error" })).to.equal(1);
    expect(await counterValue(metrics.checkpointWrites, { result: "ok" })).to.equal(1);
  });

  it("reports a run of failed writes to the health check from the first failure on, and clears it on success", async () => {
    const { store, checkpointer, checkpointHealth, advanceClock } = setup(0);
    const throttled = () =>
      Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" });
    store.failures.push(throttled(), throttled());
    checkpointer.advanceTo("001");
    await checkpointer.flush();
    advanceClock(4_000);
    await checkpointer.flush();
    expect(checkpointHealth.failingLongerThan(3_999)).to.deep.equal({
      shardId: "s",
      failingMs: 4_000,
      error: "ProvisionedThroughputExceededException",
      shards: 1,
    });
    expect(checkpointHealth.failingLongerThan(4_000)).to.equal(undefined);
    await checkpointer.flush();
    expect(checkpointHealth.failingLongerThan(0)).to.equal(undefined);
  });

  it("counts a conditional-write conflict (the fencing hook for leases) separately", async () => {
    const { store, metrics, lines, checkpointer } = setup(0);
    store.failures.push(new CheckpointConflictError("leaseOwner set"));
    checkpointer.advanceTo("009");
    await checkpointer.flush();
    expect(await counterValue(metrics.checkpointWrites, { result: "conflict" })).to.equal(1);
    expect(
      lines.some((l) => l.shardId === "s" && String(l.msg).includes("owned by another worker")),
    ).to.equal(true);
  });

  it("writes SHARD_END with the last settled record, retrying a failed write", async () => {
    const { store, checkpointer } = setup(60_000);
    store.failures.push(new Error("network"));
    checkpointer.advanceTo("010");
    expect(await checkpointer.finish()).to.equal(true);
    expect(store.writes.at(-1)?.checkpoint).to.include({ sequenceNumber: "010", shardEnd: true });
  });

  it("does not rewrite the checkpoint it resumed from", async () => {
    const store = new MemoryCheckpointStore();
    const metrics = createMetrics(new Registry());
    const { logger } = capturingLogger();
    const checkpointer = new ShardCheckpointer(
      store,
      ARN,
      "s",
      { intervalMs: 0 },
      { logger, metrics },
      { sequenceNumber: "005", updatedAt: Date.now() },
    );
    checkpointer.flushIfDue();
    await checkpointer.flush();
    expect(store.writes).to.have.length(0);
    expect(checkpointer.lastSettled).to.equal("005");
  });

  it("rewrites an unchanged checkpoint once per refresh interval while the shard is idle", async () => {
    let now = 0;
    const store = new MemoryCheckpointStore(() => now);
    const metrics = createMetrics(new Registry());
    const { logger } = capturingLogger();
    const settings = { intervalMs: 1_000, refreshMs: 3_600_000, now: () => now };
    const resumed = { sequenceNumber: "005", updatedAt: 0 };
    const checkpointer = new ShardCheckpointer(store, ARN, "s", settings, { logger, metrics }, resumed);
    now = 3_599_999;
    checkpointer.flushIfDue();
    await checkpointer.flush();
    expect(store.writes).to.have.length(0);
    now = 3_600_000;
    checkpointer.flushIfDue();
    await checkpointer.flush();
    const written = store.writes.map((w) => [w.checkpoint.sequenceNumber, w.checkpoint.updatedAt]);
    expect(written).to.deep.equal([["005", 3_600_000]]);
  });
});
